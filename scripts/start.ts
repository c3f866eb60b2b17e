import path from 'node:path';
import { stop as stopEsbuild } from 'esbuild';
import { loadResponseSettings } from '#handler/src/config';
import { localAccessFromEnv } from '#local/access-from-env';
import { assertDataDirFree } from '#local/local-dynamodb';
import {
  type LocalStack,
  type LocalStackOptions,
  SAMPLE_ITEMS_FILE,
  startLocalStack,
} from '#local/local-stack';
import { formatCorsOrigins } from '#shared/response-policy';
import { buildProduction } from './build';
import { runWhenMain } from './lib/cli';

export const START_USAGE = 'usage: npm start [-- --data-dir DIR]   (or set DATA_DIR)';

/** infra/config.ts, read only when the access mode needs it (it loads the constructs). */
const environments = async () => (await import('../infra/config.js')).ENVIRONMENTS;

/** The command line: `--data-dir DIR` or `--data-dir=DIR`; anything else is refused, not ignored. */
export function parseStartArgs(argv: readonly string[]): { dataDir?: string } {
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--data-dir') {
      const value = argv[++i];
      if (value === undefined || value === '' || value.startsWith('--'))
        throw new Error(`--data-dir needs a folder\n${START_USAGE}`);
      dataDir = value;
    } else if (arg.startsWith('--data-dir=')) {
      dataDir = arg.slice('--data-dir='.length);
      if (dataDir === '') throw new Error(`--data-dir needs a folder\n${START_USAGE}`);
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}\n${START_USAGE}`);
    }
  }
  return { dataDir };
}

/**
 * CORS_ALLOW_ORIGIN and CACHE_CONTROL, refused here when the function would refuse them (it would
 * answer every request with a 500), then passed on: to the function as they are, and the origins
 * to the emulated gateway, which answers the preflight as deployed.
 */
export function responseOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Pick<LocalStackOptions, 'corsAllowOrigins' | 'cacheControl'> {
  const { corsOrigins } = loadResponseSettings(env);
  return { corsAllowOrigins: corsOrigins, cacheControl: env.CACHE_CONTROL?.trim() || undefined };
}

/** How long a stop may take before the process exits anyway; the children die with it. */
const STOP_TIMEOUT_MS = 5000;

/**
 * npm start: builds the bundle, then serves the API on http://127.0.0.1:$PORT backed by an
 * embedded DynamoDB on $DYNAMODB_PORT. Data lives in memory unless DATA_DIR (or --data-dir DIR)
 * names a folder to keep it in. SIGINT and SIGTERM stop everything it started: package.json runs
 * it with `exec`, so the signal npm forwards reaches this process rather than a shell.
 */
async function main(argv: string[]): Promise<void> {
  let stack: LocalStack | undefined;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    // Before the stack is up there is nothing to close in order: the function process and
    // esbuild's service exit by themselves when this process goes.
    if (!stack) process.exit(0);
    setTimeout(() => {
      console.error(`stop took over ${STOP_TIMEOUT_MS} ms; exiting anyway`);
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const args = parseStartArgs(argv);
  const dataDir = args.dataDir ?? (process.env.DATA_DIR || undefined);
  const dataPath = dataDir ? path.resolve(dataDir) : undefined;
  // Before building, so a second `npm start` on the same folder says so at once.
  if (dataPath) await assertDataDirFree(dataPath);
  const ports = { port: port('PORT', 3000), dynamoPort: port('DYNAMODB_PORT', 8000) };
  const responses = responseOptionsFromEnv(process.env);
  const access = await localAccessFromEnv(process.env, environments);

  await buildProduction();
  await stopEsbuild();

  stack = await startLocalStack({
    ...ports,
    tableName: process.env.TABLE_NAME || 'items',
    dataDir: dataPath,
    seedFile: SAMPLE_ITEMS_FILE,
    ...responses,
    access: access.access,
    onFunctionLog: (line) => console.log(`[lambda] ${line}`),
    onStackLog: (line) => console.log(line),
  });

  console.log(`item-api is running (Lambda init ${stack.lambda.initMs.toFixed(0)} ms on Node 22)
  API:       ${stack.apiUrl}/{id}
  DynamoDB:  ${stack.dynamoEndpoint}  table "${stack.tableName}" ${dataDir ? `in ${dataDir}` : '(in memory)'}
  CORS:      ${responses.corsAllowOrigins ? formatCorsOrigins(responses.corsAllowOrigins) : 'off (set CORS_ALLOW_ORIGIN)'}
  Caching:   Cache-Control ${responses.cacheControl ?? 'no-cache (set CACHE_CONTROL)'} on items, no-store on errors
  Access:    ${access.summary}

Try:
  curl -i ${stack.apiUrl}/hello
  AWS_ENDPOINT_URL_DYNAMODB=${stack.dynamoEndpoint} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \\
    aws dynamodb get-item --table-name ${stack.tableName} --key '{"pk":{"S":"hello"},"sk":{"S":"hello"}}'

Ctrl-C stops it.`);
}

function port(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${variable} must be a port number`);
  return value;
}

runWhenMain(module, () => main(process.argv.slice(2)), 'npm start failed');
