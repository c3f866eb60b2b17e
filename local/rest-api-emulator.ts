import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type CorsOrigins, isItemMethod, PREFLIGHT_METHOD } from '#shared/response-policy';
import { GATEWAY_RESPONSES, rawGatewayResponse, sendGatewayResponse } from './gateway-responses';
import { headerPairs, lastHeader, readBody, splitTarget } from './incoming-request';
import { LambdaInvokeError, REQUEST_TOO_LARGE } from './lambda-process';
import { sendPreflight } from './preflight-response';
import { isProxyResult, sendResult } from './proxy-result';
import { buildRestProxyEvent } from './rest-proxy-event';

export type Invoke = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

export interface RestApiEmulatorOptions {
  /** @default 'local' */
  readonly stage?: string;
  /** Receives the gateway's own lines: why it answered 4xx/5xx itself. @default console.error */
  readonly log?: (line: string) => void;
  /**
   * The origins CORS allows, as deployed with `corsAllowOrigins`: turns on the `OPTIONS /{id}`
   * preflight and CORS headers on the gateway's own errors. @default no CORS
   */
  readonly corsOrigins?: CorsOrigins;
  /** Receives one entry per answered request, like the stage's access log. */
  readonly onAccess?: (entry: AccessLogEntry) => void;
}

/** One request as the emulator answered it. */
export interface AccessLogEntry {
  readonly requestId: string;
  readonly httpMethod: string;
  /** The raw path, as sent. */
  readonly path: string;
  /** The request's Origin header, when it sent one. */
  readonly origin: string | undefined;
  readonly status: number;
  /** Whether the function was invoked; false when the gateway answered alone (preflight, 404, 413). */
  readonly invokedFunction: boolean;
}

/**
 * API Gateway's quota on the request line and headers together (10,240 bytes). Node's parser
 * counts the same bytes closely enough; above it the emulator answers JSON 431.
 */
export const MAX_HEADER_BYTES = 10_240;
/** One non-empty path segment, matched on the raw path like API Gateway's `/{id}` resource. */
const ITEM_ROUTE = /^\/([^/]+)$/;

/**
 * An HTTP server that answers like the deployed REST API (infra/rest-api.ts): `GET` and `HEAD
 * /{id}` go to the Lambda proxy integration; `OPTIONS /{id}` is the CORS preflight the gateway
 * answers itself when CORS is on; any other method, and any other path, gets the JSON 404 of the
 * MISSING_AUTHENTICATION_TOKEN gateway response, which is what API Gateway answers for a method a
 * resource does not define. Whatever else API Gateway would answer itself (a failed invoke, a
 * request too large) it answers the same way, with a log line saying why. Every gateway answer
 * carries the deployed gateway responses' headers (never cached, CORS as configured).
 */
export function createRestApiEmulator(invoke: Invoke, options: RestApiEmulatorOptions = {}): Server {
  const log = (line: string) => (options.log ?? ((text: string) => console.error(text)))(`[gateway] ${line}`);
  const gateway: Gateway = { invoke, stage: options.stage, cors: options.corsOrigins, log };
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    const request: RequestRecord = { requestId: randomUUID(), invokedFunction: false };
    res.once('finish', () =>
      options.onAccess?.({
        requestId: request.requestId,
        httpMethod: req.method ?? '',
        path: splitTarget(req.url ?? '/').path,
        origin: lastHeader(req.rawHeaders, 'origin'),
        status: res.statusCode,
        invokedFunction: request.invokedFunction,
      }),
    );
    handle(req, res, gateway, request).catch((error: unknown) => {
      log(
        `internal error, answered 502: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendGatewayResponse(res, gateway.cors, 'integrationFailure', request.requestId);
    });
  });
  // A request Node cannot parse must not take the server down.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      log(`request headers over ${MAX_HEADER_BYTES} bytes, answered 431`);
      return socket.end(rawGatewayResponse(gateway.cors, 'headersTooLarge'));
    }
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return server;
}

interface Gateway {
  readonly invoke: Invoke;
  readonly stage: string | undefined;
  readonly cors: CorsOrigins | undefined;
  readonly log: (line: string) => void;
}

/** What the access log needs to know about a request while it is answered. */
interface RequestRecord {
  readonly requestId: string;
  invokedFunction: boolean;
}

async function handle(req: IncomingMessage, res: ServerResponse, gateway: Gateway, request: RequestRecord) {
  const { requestId } = request;
  const { path, query } = splitTarget(req.url ?? '/');
  const body = await readBody(req);
  if (body === undefined) return sendGatewayResponse(res, gateway.cors, 'requestTooLarge', requestId);

  const route = ITEM_ROUTE.exec(path);
  const method = req.method ?? 'GET';
  if (route && method === PREFLIGHT_METHOD && gateway.cors !== undefined) {
    return sendPreflight(res, gateway.cors, lastHeader(req.rawHeaders, 'origin'), requestId);
  }
  if (!route || !isItemMethod(method)) return sendGatewayResponse(res, gateway.cors, 'notFound', requestId);

  const event = buildRestProxyEvent({
    method,
    path,
    rawId: route[1] ?? null,
    headers: headerPairs(req.rawHeaders),
    query,
    body: body.length > 0 ? body.toString('utf8') : null,
    sourceIp: req.socket.remoteAddress,
    port: req.socket.localPort,
    protocol: 'http',
    stage: gateway.stage,
    requestId,
  });
  let result: APIGatewayProxyResult;
  try {
    request.invokedFunction = true;
    result = await gateway.invoke(event);
  } catch (error) {
    const failure =
      error instanceof LambdaInvokeError ? `${error.errorType}: ${error.message}` : String(error);
    const answer =
      error instanceof LambdaInvokeError && error.errorType === REQUEST_TOO_LARGE
        ? 'requestTooLarge'
        : 'integrationFailure';
    gateway.log(`${requestId} ${failure}; answered ${GATEWAY_RESPONSES[answer].status}`);
    return sendGatewayResponse(res, gateway.cors, answer, requestId);
  }
  if (!isProxyResult(result)) {
    gateway.log(`${requestId} the function returned a malformed proxy result; answered 502`);
    return sendGatewayResponse(res, gateway.cors, 'integrationFailure', requestId);
  }
  sendResult(res, result, requestId);
}
