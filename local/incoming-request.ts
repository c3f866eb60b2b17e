import type { IncomingMessage } from 'node:http';

/** API Gateway REST rejects payloads above 10 MB before the integration runs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Path and query of a request target; never throws, whatever the client sent (`//`, `%`, ...). */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const mark = target.indexOf('?');
  const path = mark === -1 ? target : target.slice(0, mark);
  return {
    path: path === '' ? '/' : path,
    query: new URLSearchParams(mark === -1 ? '' : target.slice(mark + 1)),
  };
}

export function headerPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i] ?? '', raw[i + 1] ?? '']);
  return pairs;
}

/** The last value of a header, as API Gateway's single-value view of headers keeps it. */
export function lastHeader(raw: readonly string[], lowerCaseName: string): string | undefined {
  return headerPairs(raw).findLast(([name]) => name.toLowerCase() === lowerCaseName)?.[1];
}

export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
