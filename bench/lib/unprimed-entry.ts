// item-api without priming at init, built like production. The bench compares it with the shipped
// bundle (what priming buys, what it adds to init), builds the typical CommonJS variant from it
// (CommonJS has no top-level await, so a typical build cannot prime at init), and the integration
// test uses it as the control that shows priming is what warms the first request.
import { createHandlerFromEnv } from '#handler/src/create-handler';

export const handler = createHandlerFromEnv(process.env);
