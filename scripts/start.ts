import path from 'node:path';
import { stop as stopEsbuild } from 'esbuild';
import { functionEnvironment, loadConfig, responseSettingsProblems } from '#handler/src/config';
import { ConfigError } from '#handler/src/errors';
import { type AccessEnvironment, type LocalAccessSettings, localAccessFromEnv } from '#local/access-from-env';
import { assertDataDirFree } from '#local/local-dynamodb';
import {
  type LocalStack,
  type LocalStackOptions,
  SAMPLE_ITEMS_FILE,
  startLocalStack,
} from '#local/local-stack';
import { formatCorsOrigins } from '#shared/response-policy';
import { checkLambdaEnvironment } from '#shared/rules';
import { ConfigValidationError, type Problem } from '#shared/validation';
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

/** The table `npm start` creates and seeds when TABLE_NAME is not set. */
const DEFAULT_TABLE_NAME = 'items';

/**
 * TABLE_NAME, CORS_ALLOW_ORIGIN and CACHE_CONTROL, read with the function's own config loader and
 * refused here when the function would refuse them (it would answer every request with a 500), or
 * when Lambda would refuse the environment they make (over 4 KB); then passed on: to the function
 * as they are, and the origins to the emulated gateway, which answers the preflight as deployed.
 */
export function responseOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Pick<LocalStackOptions, 'tableName' | 'corsAllowOrigins' | 'cacheControl'> {
  // The endpoint is the local DynamoDB's, whatever the shell says.
  const config = loadConfig({
    ...env,
    TABLE_NAME: env.TABLE_NAME || DEFAULT_TABLE_NAME,
    AWS_ENDPOINT_URL_DYNAMODB: '',
  });
  const cacheControl = env.CACHE_CONTROL?.trim() || undefined;
  const { corsOrigins } = config.responses;
  const tooLarge = checkLambdaEnvironment(
    functionEnvironment({ tableName: config.tableName, corsOrigins, itemCacheControl: cacheControl }),
  );
  if (tooLarge !== undefined)
    throw new ConfigError(corsOrigins ? 'CORS_ALLOW_ORIGIN' : 'CACHE_CONTROL', tooLarge);
  return { tableName: config.tableName, corsAllowOrigins: corsOrigins, cacheControl };
}

/** Everything `npm start` reads from its environment, checked before anything is built or started. */
export async function startSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  readEnvironments: () => Promise<readonly AccessEnvironment[]> = environments,
) {
  const problems: Problem[] = [];
  const refusal = (error: unknown): Problem => {
    if (!(error instanceof ConfigError)) throw error;
    return { path: error.variable, message: error.message.slice(`${error.variable}: `.length) };
  };
  problems.push(...responseSettingsProblems(env).map(refusal));
  let responses: ReturnType<typeof responseOptionsFromEnv> | undefined;
  if (problems.length === 0) {
    try {
      responses = responseOptionsFromEnv(env);
    } catch (error) {
      problems.push(refusal(error));
    }
  }
  let access: LocalAccessSettings | undefined;
  try {
    access = await localAccessFromEnv(env, readEnvironments);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    problems.push(...error.problems);
  }
  if (responses === undefined || access === undefined) throw new Error(formatStartProblems(problems));
  return { responses, access };
}

/** Every problem once, a line each, by the variable to change: one alone fits the failure line. */
export function formatStartProblems(problems: readonly Problem[]): string {
  const lines = problems.map((problem) => `${problem.path}: ${problem.message}`);
  if (lines.length === 1) return lines[0] as string;
  return [`${lines.length} settings to change; nothing was started:`, ...lines.map((l) => `- ${l}`)].join(
    '\n',
  );
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
  const { responses, access } = await startSettingsFromEnv(process.env);

  await buildProduction();
  await stopEsbuild();

  stack = await startLocalStack({
    ...ports,
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
