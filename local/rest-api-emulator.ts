import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CorsOrigins } from '#shared/response-policy';
import { createAccessCheck, type LocalAccess } from './access-gate';
import { rawGatewayResponse, sendGatewayResponse } from './gateway-responses';
import { type Gateway, handleRequest, type Invoke, type RequestRecord } from './handle-request';
import { lastHeader, splitTarget } from './incoming-request';

export type { Invoke } from './handle-request';

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
  /** Who may call, as deployed with `api.access` (local/access-gate.ts). @default public */
  readonly access?: LocalAccess;
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
 * API Gateway's quota on request headers (10,240 bytes of names, values, line ends and white
 * space). Node's parser counts the request line too, which is close enough for ids of at most 1,024
 * bytes. What AWS answers above it is unverified (assumption `header-limit`): the emulator answers
 * a JSON 431.
 */
export const MAX_HEADER_BYTES = 10_240;

/**
 * An HTTP server that answers like the deployed REST API (infra/rest-api.ts): `GET` and `HEAD
 * /{id}` go to the Lambda proxy integration; `OPTIONS /{id}` is the CORS preflight the gateway
 * answers itself when CORS is on; any other method, and any other path, gets the JSON 404 of the
 * MISSING_AUTHENTICATION_TOKEN gateway response, or, when the request carries an Authorization
 * header, the 403 API Gateway gives for a header it cannot read as a signature. Whatever else API
 * Gateway answers itself (a failed invoke, a request too large) it answers the same way, with a log
 * line saying why; ./gateway-responses.ts lists each answer and the assumption it rests on
 * (docs/api-gateway-assumptions.md).
 */
export function createRestApiEmulator(invoke: Invoke, options: RestApiEmulatorOptions = {}): Server {
  const log = (line: string) => (options.log ?? ((text: string) => console.error(text)))(`[gateway] ${line}`);
  const gateway: Gateway = {
    invoke,
    stage: options.stage,
    cors: options.corsOrigins,
    log,
    ...(options.access && { access: createAccessCheck(options.access), accessMode: options.access.mode }),
  };
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
    handleRequest(req, res, gateway, request).catch((error: unknown) => {
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
      log(
        `request headers over ${MAX_HEADER_BYTES} bytes, answered 431 (unverified: assumption header-limit)`,
      );
      return socket.end(rawGatewayResponse(gateway.cors, 'headersTooLarge'));
    }
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return server;
}
