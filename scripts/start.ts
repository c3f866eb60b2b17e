import path from 'node:path';
import { runWhenMain } from './lib/cli';
import { startLocalStack } from './lib/local-stack';
import { REPO_ROOT } from './lib/paths';

/**
 * npm start: the API on http://127.0.0.1:$PORT backed by an embedded DynamoDB on $DYNAMODB_PORT.
 * Data lives in memory unless DATA_DIR (or --data-dir DIR) names a folder to keep it in.
 */
async function main(argv: string[]): Promise<void> {
  const flag = argv.indexOf('--data-dir');
  const dataDir = flag >= 0 ? argv[flag + 1] : process.env.DATA_DIR;
  const stack = await startLocalStack({
    port: port('PORT', 3000),
    dynamoPort: port('DYNAMODB_PORT', 8000),
    tableName: process.env.TABLE_NAME || 'items',
    dataDir: dataDir ? path.resolve(dataDir) : undefined,
    seedFile: path.join(REPO_ROOT, 'test', 'fixtures', 'items.json'),
    corsAllowOrigin: process.env.CORS_ALLOW_ORIGIN || undefined,
    onFunctionLog: (line) => console.log(`[lambda] ${line}`),
  });

  console.log(`item-api is running (Lambda init ${stack.lambda.initMs.toFixed(0)} ms on Node 22)
  API:       ${stack.apiUrl}/{id}
  DynamoDB:  ${stack.dynamoEndpoint}  table "${stack.tableName}" ${dataDir ? `in ${dataDir}` : '(in memory)'}

Try:
  curl -i ${stack.apiUrl}/hello
  AWS_ENDPOINT_URL_DYNAMODB=${stack.dynamoEndpoint} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \\
    aws dynamodb get-item --table-name ${stack.tableName} --key '{"pk":{"S":"hello"},"sk":{"S":"hello"}}'

Ctrl-C stops it.`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
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
