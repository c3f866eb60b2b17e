// Loads a built bundle as Lambda's runtime does (init), then invokes it once, in a Node 22 process
// started with --log-function-events. The two marker functions run for the first time at the end
// of init and at the end of the first request, so V8's log shows which functions ran for the
// first time in between: the first request's first-time work.
// argv: <bundle> <event JSON>; prints the response as JSON on stdout.
import { pathToFileURL } from 'node:url';

const [bundle, eventJson] = process.argv.slice(2);
// A function compiled and run at this moment, so V8's log marks the moment whichever events it
// writes: a function in this file would be compiled with the file, long before it runs.
const marker = (name) => new Function(`return function ${name}() {}`)()();
const { handler } = await import(pathToFileURL(bundle).href);
marker('itemApiInitDone');
const response = await handler(JSON.parse(eventJson), {
  awsRequestId: 'first-run',
  getRemainingTimeInMillis: () => 6000,
});
marker('itemApiFirstRequestDone');
process.stdout.write(`${JSON.stringify(response)}\n`);
// Keep-alive sockets would hold the process open; Lambda freezes it instead.
process.exit(0);
