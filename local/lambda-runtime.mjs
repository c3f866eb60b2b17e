// Runs inside the Node 22 child process, playing the part of Lambda's runtime: it imports the
// built bundle once (init), then invokes `handler` for each event the parent sends over IPC.
// Plain JavaScript on purpose: it must run with no TypeScript loader and no node_modules.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const [bundlePath, responseLimitArg, exportName] = process.argv.slice(2);
const responseLimit = Number(responseLimitArg);
// Logs travel on stdout and stderr, results over IPC: separate channels the parent reads in no
// fixed order. Each message says how many bytes the function has written so far, so the parent
// can settle an invocation only once its log lines have arrived, as a test reading them expects.
const written = { stdout: 0, stderr: 0 };
for (const name of ['stdout', 'stderr']) {
  const stream = process[name];
  const write = stream.write.bind(stream);
  stream.write = (chunk, encoding, callback) => {
    written[name] +=
      typeof chunk === 'string'
        ? Buffer.byteLength(chunk, typeof encoding === 'string' ? encoding : 'utf8')
        : chunk.length;
    return write(chunk, encoding, callback);
  };
}
const send = (message) => process.send?.({ ...message, written: { ...written } });
// The parent is gone (killed, crashed): nothing can reach this process any more.
process.on('disconnect', () => process.exit(0));

const started = performance.now();
let handler;
try {
  const module = await import(pathToFileURL(bundlePath).href);
  handler = module[exportName];
  if (typeof handler !== 'function')
    throw new Error(`${bundlePath} does not export a function "${exportName}"`);
  send({ type: 'ready', initMs: performance.now() - started });
} catch (error) {
  send({ type: 'init-error', message: String(error?.stack ?? error) });
  process.exit(1);
}

process.on('message', async (message) => {
  if (message?.type !== 'invoke') return;
  const { invocationId, event, timeoutMs = 6000 } = message;
  const deadline = Date.now() + timeoutMs;
  const context = {
    awsRequestId: randomUUID(),
    functionName: 'item-api-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:item-api-local',
    memoryLimitInMB: '256',
    logGroupName: '/aws/lambda/item-api-local',
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const invokeStarted = performance.now();
  try {
    const result = await handler(event, context);
    // Lambda's runtime serialises the whole result and the Runtime API refuses it above the limit.
    const bytes = Buffer.byteLength(JSON.stringify(result) ?? '', 'utf8');
    if (bytes > responseLimit) {
      const message = `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${responseLimit} bytes).`;
      send({ type: 'error', invocationId, errorType: 'Function.ResponseSizeTooLarge', message });
      return;
    }
    send({ type: 'result', invocationId, result, durationMs: performance.now() - invokeStarted });
  } catch (error) {
    send({
      type: 'error',
      invocationId,
      errorType: error?.name ?? 'Error',
      message: String(error?.message ?? error),
    });
  }
});
