import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { buildRestProxyEvent } from './rest-proxy-event';

export type Invoke = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** API Gateway REST rejects payloads above 10 MB before the integration runs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** One non-empty path segment, matched on the raw path like API Gateway's `/{id}` resource. */
const ITEM_ROUTE = /^\/([^/?#]+)$/;

/**
 * An HTTP server that answers like the deployed REST API: `/{id}` goes to the Lambda proxy
 * integration (every method, so the handler's 405 can be seen), any other path gets the JSON 404
 * the infrastructure's gateway response gives, and a failed invoke becomes API Gateway's 502.
 */
export function createRestApiEmulator(invoke: Invoke, options: { stage?: string } = {}): Server {
  const server = createServer((req, res) => {
    handle(req, res, invoke, options.stage).catch(() => send(res, 500, {}, json('Internal server error')));
  });
  // A malformed request line or header must not take the server down.
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, invoke: Invoke, stage: string | undefined) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
  const body = await readBody(req);
  if (body === undefined) return send(res, 413, {}, json('Request too large'));

  const route = ITEM_ROUTE.exec(rawPath);
  if (!route) return send(res, 404, {}, json('Not found'));

  const pairs: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    pairs.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
  const event = buildRestProxyEvent({
    method: req.method ?? 'GET',
    path: rawPath,
    rawId: route[1] ?? null,
    headers: pairs,
    query: url.searchParams,
    body: body.length > 0 ? body.toString('utf8') : null,
    sourceIp: req.socket.remoteAddress,
    stage,
  });
  const requestId = event.requestContext.requestId;
  let result: APIGatewayProxyResult;
  try {
    result = await invoke(event);
  } catch {
    return send(res, 502, { 'x-amzn-RequestId': requestId }, json('Internal server error'));
  }
  if (!isProxyResult(result)) {
    return send(res, 502, { 'x-amzn-RequestId': requestId }, json('Internal server error'));
  }
  const responseBody = result.isBase64Encoded
    ? Buffer.from(result.body, 'base64')
    : Buffer.from(result.body ?? '');
  const headers: Record<string, string | string[]> = { 'x-amzn-RequestId': requestId };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    headers[name] = values.map(String);
  send(res, result.statusCode, headers, responseBody);
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  const result = value as APIGatewayProxyResult | null;
  return (
    typeof result === 'object' &&
    result !== null &&
    Number.isInteger(result.statusCode) &&
    result.statusCode >= 100 &&
    result.statusCode <= 599 &&
    (result.body === undefined || typeof result.body === 'string')
  );
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
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

function json(message: string): Buffer {
  return Buffer.from(JSON.stringify({ message }));
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer) {
  if (res.headersSent) return res.destroy();
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  res.writeHead(status, {
    ...(hasContentType || body.length === 0 ? {} : { 'Content-Type': 'application/json' }),
    ...headers,
    'Content-Length': String(body.length),
  });
  res.end(body);
}
