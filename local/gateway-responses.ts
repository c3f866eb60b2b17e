import type { ServerResponse } from 'node:http';
import { type CorsOrigins, gatewayErrorHeaders } from '#shared/response-policy';
import { send } from './send-response';

/**
 * The answers API Gateway gives by itself, before or instead of the function's: the one place
 * they are built. `notFound` is the infrastructure's MISSING_AUTHENTICATION_TOKEN gateway response
 * (infra/rest-api.ts), for an unknown path or a method `/{id}` does not define; the others are
 * API Gateway's defaults.
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

function gatewayBody(kind: GatewayResponse): Buffer {
  return Buffer.from(JSON.stringify({ message: GATEWAY_RESPONSES[kind].message }));
}

/** The headers of every answer API Gateway produces itself: as deployed, never cached, CORS as configured. */
function gatewayHeaders(cors: CorsOrigins | undefined, requestId?: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    ...(requestId !== undefined && { 'x-amzn-RequestId': requestId }),
    ...gatewayErrorHeaders(cors),
  };
}

export function sendGatewayResponse(
  res: ServerResponse,
  cors: CorsOrigins | undefined,
  kind: GatewayResponse,
  requestId: string,
) {
  send(res, GATEWAY_RESPONSES[kind].status, gatewayHeaders(cors, requestId), gatewayBody(kind));
}

/** An answer with a message of its own (an access refusal: a bad key, a signature), headers as every other. */
export function sendGatewayMessage(
  res: ServerResponse,
  cors: CorsOrigins | undefined,
  refusal: { readonly status: number; readonly message: string },
  requestId: string,
) {
  send(
    res,
    refusal.status,
    gatewayHeaders(cors, requestId),
    Buffer.from(JSON.stringify({ message: refusal.message })),
  );
}

/** A gateway response written straight to a socket Node's HTTP parser gave up on. */
export function rawGatewayResponse(cors: CorsOrigins | undefined, kind: GatewayResponse): string {
  const body = gatewayBody(kind);
  const { status, message } = GATEWAY_RESPONSES[kind];
  const headers = Object.entries({ ...gatewayHeaders(cors), 'Content-Length': String(body.length) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${status} ${message}\r\n${headers}Connection: close\r\n\r\n${body}`;
}
