import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { AccessMode } from '#shared/access';
import { type CorsOrigins, isItemMethod, PREFLIGHT_METHOD } from '#shared/response-policy';
import type { AccessCheck } from './access-gate';
import { GATEWAY_RESPONSES, sendGatewayMessage, sendGatewayResponse } from './gateway-responses';
import { headerPairs, lastHeader, readBody, splitTarget } from './incoming-request';
import { LambdaInvokeError, REQUEST_TOO_LARGE } from './lambda-process';
import { sendPreflight } from './preflight-response';
import { isProxyResult, sendResult } from './proxy-result';
import { buildRestProxyEvent } from './rest-proxy-event';

export type Invoke = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** One non-empty path segment, matched on the raw path like API Gateway's `/{id}` resource. */
const ITEM_ROUTE = /^\/([^/]+)$/;

export interface Gateway {
  readonly invoke: Invoke;
  readonly stage: string | undefined;
  readonly cors: CorsOrigins | undefined;
  readonly log: (line: string) => void;
  /** Who may call (local/access-gate.ts); absent in public mode. */
  readonly access?: AccessCheck;
  /** What the preflight allows callers to send. @default 'public' */
  readonly accessMode?: AccessMode;
}

/** What the access log needs to know about a request while it is answered. */
export interface RequestRecord {
  readonly requestId: string;
  invokedFunction: boolean;
}

export async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  gateway: Gateway,
  request: RequestRecord,
) {
  const { requestId } = request;
  const { path, query } = splitTarget(req.url ?? '/');
  const body = await readBody(req);
  if (body === undefined) return sendGatewayResponse(res, gateway.cors, 'requestTooLarge', requestId);

  const route = ITEM_ROUTE.exec(path);
  const method = req.method ?? 'GET';
  if (route && method === PREFLIGHT_METHOD && gateway.cors !== undefined) {
    return sendPreflight(
      res,
      gateway.cors,
      lastHeader(req.rawHeaders, 'origin'),
      requestId,
      gateway.accessMode,
    );
  }
  const refused = await gateway.access?.(req, route !== null && isItemMethod(method), body);
  if (refused) return sendGatewayMessage(res, gateway.cors, refused, requestId);
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
