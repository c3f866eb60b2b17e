// Warm and memory runs, in one Node 22 process per variant: the function's code is loaded once
// (as Lambda does after a cold start) and invoked in-process, with no IPC in the timed path.
// argv: <warm|memory> <entry file> <config JSON>; the result goes to fd 3 as JSON.
// With config.procsFile, the process joins that CPU-limited cgroup once the function is loaded and
// has answered its first requests, so every timed request runs at the memory size's CPU share;
// config.gapMs (one CPU period) lets the quota refill between timed requests.
import { writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [mode, entry, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
const { event, missingEvent, tableName, id, endpoint, region } = config;

const context = () => ({
  awsRequestId: 'warm',
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:item-api-bench',
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
  logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 6000,
});

async function loadHandler() {
  const module = entry.endsWith('.mjs')
    ? await import(pathToFileURL(entry).href)
    : createRequire(import.meta.url)(entry);
  const handler = module.handler ?? module.default?.handler;
  if (typeof handler !== 'function') throw new Error(`${entry} exports no handler function`);
  return handler;
}

/** Every call is checked: a fast wrong answer must fail the bench, not flatter it. */
async function checkedHandler(handler) {
  const first = await handler(event, context());
  const missing = await handler(missingEvent, context());
  if (missing.statusCode !== 404) throw new Error(`missing item answered ${missing.statusCode}, not 404`);
  return {
    first,
    call: async () => {
      const response = await handler(event, context());
      if (response.statusCode !== 200 || response.body !== first.body)
        throw new Error(`handler answered ${response.statusCode}: ${response.body}`);
    },
  };
}

/** The same GetItem the handler makes, sent straight through a client built the plain way. */
async function rawCall(kind) {
  const Key = { pk: { S: id }, sk: { S: id } };
  if (kind === 'sdk') {
    const { DynamoDBClient, GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const client = new DynamoDBClient({ region, endpoint });
    return async () => {
      const output = await client.send(new GetItemCommand({ TableName: tableName, Key }));
      if (!output.Item) throw new Error('raw SDK GetItem found no item');
    };
  }
  if (kind === 'aws-lite') {
    const { default: awsLite } = await import('@aws-lite/client');
    const { default: dynamodb } = await import('@aws-lite/dynamodb');
    const aws = await awsLite({ plugins: [dynamodb], endpoint, region, keepAlive: true, retries: 2 });
    return async () => {
      const output = await aws.DynamoDB.GetItem({ TableName: tableName, Key: { pk: id, sk: id } });
      if (!output.Item) throw new Error('raw aws-lite GetItem found no item');
    };
  }
  throw new Error(`unknown raw client ${kind}`);
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** With a gap, each timed request starts after an idle pause, as on an environment that is not saturated. */
async function timed(call, count, into, gapMs = 0) {
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    into?.push(performance.now() - started);
    if (gapMs > 0) await pause(gapMs);
  }
}

/**
 * Handler and raw calls alternate in blocks, the order rotating each round, so drift (JIT tiers,
 * GC, the dynalite process warming up) lands on every kind alike instead of on whichever ran last.
 */
async function warm() {
  const { first, call } = await checkedHandler(await loadHandler());
  if (config.procsFile) writeFileSync(config.procsFile, String(process.pid));
  const kinds = [{ name: 'handler', call }];
  for (const raw of config.rawClients) kinds.push({ name: raw, call: await rawCall(raw) });
  for (const kind of kinds) await timed(kind.call, config.warmup);
  const samples = Object.fromEntries(kinds.map((k) => [k.name, []]));
  const blocks = Math.ceil(config.count / config.blockSize);
  for (let block = 0; block < blocks; block++) {
    const size = Math.min(config.blockSize, config.count - block * config.blockSize);
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(block + k) % kinds.length];
      await timed(kind.call, size, samples[kind.name], config.gapMs);
    }
  }
  return { status: first.statusCode, body: first.body, samples };
}

function memorySample(requests) {
  globalThis.gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  // resourceUsage().maxRSS is in KiB.
  return { requests, rss, heapUsed, external, maxRss: process.resourceUsage().maxRSS * 1024 };
}

/**
 * Samples at several points, not two: growth that levels off is warm-up (JIT code, pools filling),
 * growth that keeps climbing with the request count is a leak.
 */
async function memory() {
  const { call } = await checkedHandler(await loadHandler());
  const checkpoints = [...new Set([100, 1000, config.count / 2, config.count].map(Math.round))]
    .filter((n) => n >= 100 && n <= config.count)
    .sort((a, b) => a - b);
  const samples = [];
  let done = 2;
  for (const checkpoint of checkpoints) {
    await timed(call, checkpoint - done);
    done = checkpoint;
    samples.push(memorySample(checkpoint));
  }
  return { gc: typeof globalThis.gc === 'function', samples };
}

/** The warm result is tens of KiB; a pipe takes it in pieces. */
function report(result) {
  const bytes = Buffer.from(JSON.stringify(result));
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(3, bytes, offset);
    } catch (error) {
      if (error?.code !== 'EAGAIN') throw error;
    }
  }
}

try {
  report(mode === 'memory' ? await memory() : await warm());
} catch (error) {
  report({ error: String(error?.stack ?? error) });
}
process.exit(0);
