// The network form of priming, built for the bench only: the shipped priming, then one real
// GetItem of an id no request can ask for, sent during init (top-level await) through the
// function's own client, so the first invoke finds a TLS connection to DynamoDB already open.
// bench/README.md explains why it is measured here and not shipped.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { wireHandlerFromEnv } from '../../handler/src/create-handler.js';
import { primeAtInit } from '../../handler/src/prime.js';

const NETWORK_PRIME_TIMEOUT_MS = 500;

const { handler: wired, primeTargets } = wireHandlerFromEnv(process.env);
if (primeTargets) {
  await primeAtInit(primeTargets);
  // A control character: the handler answers 400 to such an id, so no request can read this key.
  const id = '\u0000item-api-network-prime';
  const abortController = new AbortController();
  const timer = setTimeout(() => abortController.abort(), NETWORK_PRIME_TIMEOUT_MS);
  await primeTargets.client
    .send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: id }, sk: { S: id } } }), {
      abortSignal: abortController.signal,
    })
    .catch(() => {})
    .finally(() => clearTimeout(timer));
}

export const handler = wired;
