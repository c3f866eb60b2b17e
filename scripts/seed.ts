import { parseArgs } from 'node:util';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { SeedWriteError, seedFromFiles } from '#local/seed-items';
import { checkTableName } from '#shared/rules';
import { runWhenMain } from './lib/cli';

export const SEED_USAGE = 'usage: npm run seed -- <file.json>... [--table NAME]   (or set TABLE_NAME)';

export interface SeedArgs {
  readonly files: readonly string[];
  readonly tableName: string;
}

/**
 * The command line: one or more files, all checked before any is written, and `--table NAME` or
 * TABLE_NAME. Unknown flags, a flag given twice and a missing value are refused, not ignored: a
 * misspelled `--tabel` would otherwise send the items to whatever TABLE_NAME names.
 */
export function parseSeedArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SeedArgs | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const unknown = /^Unknown option '([^']*)'/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== undefined) {
      const hint = unknown.startsWith('--t') || unknown === '-t' ? ' (did you mean --table?)' : '';
      throw new Error(`unknown option ${unknown}${hint}\n${SEED_USAGE}`);
    }
    throw new Error(`${message.split(/\.\s/)[0]}\n${SEED_USAGE}`);
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) return 'help';
  if (tokens.filter((token) => token.kind === 'option' && token.name === 'table').length > 1) {
    throw new Error(`--table is given more than once\n${SEED_USAGE}`);
  }
  if (positionals.length === 0) throw new Error(`no seed file given\n${SEED_USAGE}`);
  const [source, tableName] =
    values.table !== undefined ? ['--table', values.table] : ['TABLE_NAME', env.TABLE_NAME?.trim() ?? ''];
  if (tableName === '') throw new Error(`no table: pass --table NAME or set TABLE_NAME\n${SEED_USAGE}`);
  const problem = checkTableName(tableName);
  if (problem !== undefined) throw new Error(`${source} ${problem}`);
  return { files: positionals, tableName };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { table: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
}

/**
 * npm run seed -- <file.json>... [--table NAME]
 *
 * Loads plain JSON items into any DynamoDB endpoint: the local one when AWS_ENDPOINT_URL_DYNAMODB
 * is set (npm start prints it), otherwise real AWS with the usual credential chain and region.
 */
async function main(argv: string[]): Promise<void> {
  const args = parseSeedArgs(argv, process.env);
  if (args === 'help') {
    console.log(SEED_USAGE);
    return;
  }
  const where = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? 'AWS';
  const client = new DynamoDBClient({});
  try {
    const written = await seedFromFiles(client, args.tableName, args.files);
    const from = args.files.length === 1 ? '' : ` from ${args.files.length} files`;
    console.log(`seeded ${written} distinct items${from} into ${args.tableName} at ${where}`);
  } catch (error) {
    if (
      error instanceof SeedWriteError &&
      error.written === 0 &&
      error.cause instanceof ResourceNotFoundException
    ) {
      const region = await client.config.region().catch(() => 'unknown');
      throw new Error(
        `table "${args.tableName}" does not exist at ${where} (region ${region}); nothing was written. ` +
          'Create it, or name another with --table (npm start creates "items")',
      );
    }
    throw error;
  } finally {
    client.destroy();
  }
}

runWhenMain(module, () => main(process.argv.slice(2)));
