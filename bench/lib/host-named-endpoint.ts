import { lookup } from 'node:dns/promises';

/**
 * DynamoDB's endpoint is a host name: the first request resolves it and checks the certificate
 * against it, work an IP address would skip. `localhost` stands in where it resolves to the
 * address dynalite listens on.
 */
export async function hostNamedEndpoint(endpoint: string): Promise<string> {
  const url = new URL(endpoint);
  const resolved = await lookup('localhost').catch(() => undefined);
  if (resolved?.address !== url.hostname) return endpoint;
  url.hostname = 'localhost';
  return url.origin;
}
