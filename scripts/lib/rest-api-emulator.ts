import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { LambdaInvokeError, REQUEST_TOO_LARGE } from './lambda-process';
import { buildRestProxyEvent } from './rest-proxy-event';

export type Invoke = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

export interface RestApiEmulatorOptions {
  /** @default 'local' */
  readonly stage?: string;
  /** Receives the gateway's own lines: why it answered 4xx/5xx itself. @default console.error */
  readonly log?: (line: string) => void;
}

/** API Gateway REST rejects payloads above 10 MB before the integration runs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * API Gateway's quota on the request line and headers together (10,240 bytes). Node's parser
 * counts the same bytes closely enough; above it the emulator answers JSON 431.
 */
export const MAX_HEADER_BYTES = 10_240;
/** One non-empty path segment, matched on the raw path like API Gateway's `/{id}` resource. */
const ITEM_ROUTE = /^\/([^/]+)$/;

/**
 * The answers API Gateway gives by itself, before or instead of the function's: the one place
 * they are built. `notFound` is the infrastructure's MISSING_AUTHENTICATION_TOKEN gateway response
 * (infra/rest-api.ts); the others are API Gateway's defaults.
 */
export const GATEWAY_RESPONSES = {
  notFound: { status: 404, message: 'Not found' },
  /** REQUEST_TOO_LARGE: a body over 10 MB, or an event over Lambda's request limit. */
  requestTooLarge: { status: 413, message: 'Request Too Long' },
  headersTooLarge: { status: 431, message: 'Request Header Fields Too Large' },
  /** The function failed, timed out, returned too much or a malformed result, or the gateway failed. */
  integrationFailure: { status: 502, message: 'Internal server error' },
} as const;

type GatewayResponse = keyof typeof GATEWAY_RESPONSES;

/**
 * An HTTP server that answers like the deployed REST API: `/{id}` goes to the Lambda proxy
 * integration (every method, so the handler's 405 can be seen), any other path gets the JSON 404
 * the infrastructure's gateway response gives, and whatever API Gateway would answer itself (a
 * failed invoke, a request too large) it answers the same way, with a log line saying why.
 */
export function createRestApiEmulator(invoke: Invoke, options: RestApiEmulatorOptions = {}): Server {
  const log = (line: string) => (options.log ?? ((text: string) => console.error(text)))(`[gateway] ${line}`);
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    handle(req, res, invoke, options.stage, log).catch((error: unknown) => {
      log(
        `internal error, answered 502: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendGatewayResponse(res, 'integrationFailure');
    });
  });
  // A request Node cannot parse must not take the server down.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      log(`request headers over ${MAX_HEADER_BYTES} bytes, answered 431`);
      return socket.end(rawGatewayResponse('headersTooLarge'));
    }
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return server;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  invoke: Invoke,
  stage: string | undefined,
  log: (line: string) => void,
) {
  const { path, query } = splitTarget(req.url ?? '/');
  const body = await readBody(req);
  if (body === undefined) return sendGatewayResponse(res, 'requestTooLarge');

  const route = ITEM_ROUTE.exec(path);
  if (!route) return sendGatewayResponse(res, 'notFound');

  const event = buildRestProxyEvent({
    method: req.method ?? 'GET',
    path,
    rawId: route[1] ?? null,
    headers: headerPairs(req.rawHeaders),
    query,
    body: body.length > 0 ? body.toString('utf8') : null,
    sourceIp: req.socket.remoteAddress,
    port: req.socket.localPort,
    protocol: 'http',
    stage,
  });
  const requestId = event.requestContext.requestId;
  let result: APIGatewayProxyResult;
  try {
    result = await invoke(event);
  } catch (error) {
    const failure =
      error instanceof LambdaInvokeError ? `${error.errorType}: ${error.message}` : String(error);
    const answer =
      error instanceof LambdaInvokeError && error.errorType === REQUEST_TOO_LARGE
        ? 'requestTooLarge'
        : 'integrationFailure';
    log(`${requestId} ${failure}; answered ${GATEWAY_RESPONSES[answer].status}`);
    return sendGatewayResponse(res, answer, requestId);
  }
  if (!isProxyResult(result)) {
    log(`${requestId} the function returned a malformed proxy result; answered 502`);
    return sendGatewayResponse(res, 'integrationFailure', requestId);
  }
  sendResult(res, result, requestId);
}

/** Path and query of a request target; never throws, whatever the client sent (`//`, `%`, ...). */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const mark = target.indexOf('?');
  const path = mark === -1 ? target : target.slice(0, mark);
  return {
    path: path === '' ? '/' : path,
    query: new URLSearchParams(mark === -1 ? '' : target.slice(mark + 1)),
  };
}

function headerPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i] ?? '', raw[i + 1] ?? '']);
  return pairs;
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

/** The function's answer, as API Gateway relays it. */
function sendResult(res: ServerResponse, result: APIGatewayProxyResult, requestId: string) {
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '');
  const headers: Record<string, string | string[]> = Object.create(null);
  headers['x-amzn-RequestId'] = requestId;
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    headers[name] = values.map(String);
  send(res, result.statusCode, headers, body);
}

function gatewayBody(kind: GatewayResponse): Buffer {
  return Buffer.from(JSON.stringify({ message: GATEWAY_RESPONSES[kind].message }));
}

function sendGatewayResponse(res: ServerResponse, kind: GatewayResponse, requestId?: string) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (requestId) headers['x-amzn-RequestId'] = requestId;
  send(res, GATEWAY_RESPONSES[kind].status, headers, gatewayBody(kind));
}

/** A gateway response written straight to a socket Node's HTTP parser gave up on. */
function rawGatewayResponse(kind: GatewayResponse): string {
  const body = gatewayBody(kind);
  const { status, message } = GATEWAY_RESPONSES[kind];
  return (
    `HTTP/1.1 ${status} ${message}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
    `Connection: close\r\n\r\n${body}`
  );
}

/** Responses that never carry content (RFC 9110 §6.4.1): no body and no Content-Length of 0. */
const NO_CONTENT = new Set([204, 304]);

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer) {
  if (res.headersSent) return res.destroy();
  if (NO_CONTENT.has(status) || status < 200) {
    res.writeHead(status, headers);
    return res.end();
  }
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  res.writeHead(status, {
    ...(hasContentType || body.length === 0 ? {} : { 'Content-Type': 'application/json' }),
    ...headers,
    'Content-Length': String(body.length),
  });
  res.end(body);
}
