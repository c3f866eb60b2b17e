// One cold start, in a fresh Node 22 process: load the function's code the way Lambda's runtime
// does, invoke it once, report the timings on fd 3 and exit. Plain JavaScript with no imports
// beyond Node's own, so the process does nothing the function itself would not.
// argv: <entry file> <event JSON> [<CPU model JSON: { procsFile, initAtShare }>]
// With a CPU model, the process writes itself into a CPU-limited cgroup: after init (Lambda's
// init burst, then the invoke at the memory's share) or, with initAtShare, before it.
import { writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const report = (result) => writeSync(3, JSON.stringify(result));

const [entry, eventJson, modelJson] = process.argv.slice(2);
const event = JSON.parse(eventJson);
const model = modelJson ? JSON.parse(modelJson) : undefined;
const enterCpuShare = () => writeFileSync(model.procsFile, String(process.pid));
const context = {
  awsRequestId: 'cold-start',
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
  logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 6000,
};

// performance.now() counts from process start (timeOrigin), so this is Node's own boot time.
const beforeImport = performance.now();
try {
  if (model?.initAtShare) enterCpuShare();
  // Lambda's runtime require()s a .js file in a folder without "type": "module", and import()s .mjs.
  const module = entry.endsWith('.mjs')
    ? await import(pathToFileURL(entry).href)
    : createRequire(import.meta.url)(entry);
  const afterImport = performance.now();
  const handler = module.handler ?? module.default?.handler;
  if (typeof handler !== 'function') throw new Error(`${entry} exports no handler function`);
  if (model && !model.initAtShare) enterCpuShare();
  const beforeRequest = performance.now();
  const response = await handler(event, context);
  const afterResponse = performance.now();
  report({
    bootMs: beforeImport,
    importMs: afterImport - beforeImport,
    firstRequestMs: afterResponse - beforeRequest,
    response,
  });
} catch (error) {
  report({ error: String(error?.stack ?? error) });
}
// Keep-alive sockets would hold the process open; Lambda freezes it instead.
process.exit(0);
