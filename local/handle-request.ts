import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { AccessMode } from '#shared/access';
import { type CorsOrigins, isItemMethod, PREFLIGHT_METHOD } from '#shared/response-policy';
import type { AccessCheck, AccessRefusal } from './access-gate';
import { authorizationHeaderMessage } from './authorization-header';
import { GATEWAY_RESPONSES, sendGatewayResponse } from './gateway-responses';
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
  if (body === undefined) {
    gateway.log(`${requestId} body over API Gateway's 10 MB payload quota; answered 413`);
    return sendGatewayResponse(res, gateway.cors, 'payloadTooLarge', requestId);
  }

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
  if (!route || !isItemMethod(method)) return sendNoSuchRoute(req, res, gateway, requestId, body);
  const refused = await gateway.access?.(req, body);
  if (refused) return sendRefusal(res, gateway, requestId, refused);

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
        ? 'eventTooLarge'
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

/** Not logged: a refusal is the caller's, routine under a plan's throttle (the access log has it). */
function sendRefusal(res: ServerResponse, gateway: Gateway, requestId: string, refused: AccessRefusal) {
  sendGatewayResponse(res, gateway.cors, refused.kind, requestId, refused.message);
}

/**
 * A path or method the API does not define: the MISSING_AUTHENTICATION_TOKEN gateway response (the
 * JSON 404, or in iam mode AWS's own 403), unless the request carries an Authorization header, which
 * API Gateway then reads as a SigV4 signature and refuses with 403. In iam mode a signature is
 * verified as on a defined route, and a good one still gets the 403 (assumption `iam-signature`).
 */
async function sendNoSuchRoute(
  req: IncomingMessage,
  res: ServerResponse,
  gateway: Gateway,
  requestId: string,
  body: Buffer,
) {
  const authorization = lastHeader(req.rawHeaders, 'authorization');
  if (gateway.accessMode === 'iam' && authorization?.trim()) {
    const refused = await gateway.access?.(req, body);
    return sendRefusal(res, gateway, requestId, refused ?? { kind: 'missingAuthenticationToken' });
  }
  const message = authorizationHeaderMessage(
    authorization,
    lastHeader(req.rawHeaders, 'x-amz-date') !== undefined ||
      lastHeader(req.rawHeaders, 'date') !== undefined,
  );
  if (message === undefined) {
    const answer = gateway.accessMode === 'iam' ? 'missingAuthenticationToken' : 'notFound';
    return sendGatewayResponse(res, gateway.cors, answer, requestId);
  }
  gateway.log(
    `${requestId} no such route, and its Authorization header is not a SigV4 signature; answered 403`,
  );
  sendGatewayResponse(res, gateway.cors, 'authorizationRejected', requestId, message);
}
