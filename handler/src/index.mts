// An ES module for the top-level await: Lambda's init waits for it, and runs with more CPU than
// the first invoke gets (see prime.ts).
import { wireHandlerFromEnv } from './create-handler.js';
import { primeAtInit } from './prime.js';

const { handler: wired, primeTargets } = wireHandlerFromEnv(process.env);
if (primeTargets) await primeAtInit(primeTargets);

/** The Lambda entry point (`index.handler`): configuration and the DynamoDB client are built once, at init. */
export const handler = wired;
