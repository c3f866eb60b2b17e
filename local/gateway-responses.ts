import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { AssumptionId } from '#shared/gateway-assumptions';
import { type CorsOrigins, gatewayErrorHeaders } from '#shared/response-policy';
import { send } from './send-response';

/**
 * How API Gateway produces one of its own answers. `gateway response`: through a gateway response
 * type the API configures (infra/api-definition.ts), so the body is `{"message": …}` and the
 * deployed headers apply (never cached, CORS as configured). `fixed`: AWS answers before any gateway
 * response, or through one it does not let an API customize, so none of the API's headers apply.
 */
type Delivery = 'gateway response' | 'fixed';

interface GatewayAnswer {
  readonly status: number;
  readonly delivery: Delivery;
  /** The message, or the whole body when it is not JSON; undefined when each request supplies it. */
  readonly message?: string;
  readonly contentType: 'application/json' | 'text/plain';
  /** What the answer rests on (shared/gateway-assumptions.ts); the unverified ones say so. */
  readonly assumption: AssumptionId;
}

/**
 * The answers API Gateway gives by itself, before or instead of the function's: the one place they
 * are built. Add an answer here, with the assumption it rests on, and the emulator can give it.
 */
export const GATEWAY_RESPONSES = {
  /** MISSING_AUTHENTICATION_TOKEN, turned into a 404: an unknown path, or a method `/{id}` does not define. */
  notFound: {
    status: 404,
    delivery: 'gateway response',
    message: 'Not found',
    contentType: 'application/json',
    assumption: 'unknown-route-404',
  },
  /** The same request with an Authorization header: AWS reads it as SigV4 and refuses it, through DEFAULT_4XX. */
  authorizationRejected: {
    status: 403,
    delivery: 'gateway response',
    contentType: 'application/json',
    assumption: 'unknown-route-authorization',
  },
  /** api-key mode: INVALID_API_KEY, a missing or unknown `x-api-key`, through DEFAULT_4XX. */
  invalidApiKey: {
    status: 403,
    delivery: 'gateway response',
    message: 'Forbidden',
    contentType: 'application/json',
    assumption: 'api-key-refused',
  },
  /** api-key mode: THROTTLED, over the key's plan rate and burst, through DEFAULT_4XX. */
  keyThrottled: {
    status: 429,
    delivery: 'gateway response',
    message: 'Too Many Requests',
    contentType: 'application/json',
    assumption: 'usage-plan-limits',
  },
  /** api-key mode: QUOTA_EXCEEDED, over the key's quota for the period, through DEFAULT_4XX. */
  quotaExceeded: {
    status: 429,
    delivery: 'gateway response',
    message: 'Limit Exceeded',
    contentType: 'application/json',
    assumption: 'usage-plan-limits',
  },
  /** iam mode: MISSING_AUTHENTICATION_TOKEN kept AWS's 403, for an unsigned call or an unknown route. */
  missingAuthenticationToken: {
    status: 403,
    delivery: 'gateway response',
    message: 'Missing Authentication Token',
    contentType: 'application/json',
    assumption: 'iam-unsigned',
  },
  /** iam mode: INVALID_SIGNATURE or an unknown caller, through DEFAULT_4XX; the message names the problem. */
  signatureRejected: {
    status: 403,
    delivery: 'gateway response',
    contentType: 'application/json',
    assumption: 'iam-signature',
  },
  /** A body over the 10 MB payload quota, refused before any gateway response. */
  payloadTooLarge: {
    status: 413,
    delivery: 'fixed',
    message: 'HTTP content length exceeded 10485760 bytes.',
    contentType: 'text/plain',
    assumption: 'request-too-large',
  },
  /** REQUEST_TOO_LARGE, which an API cannot customize: an event over Lambda's request limit. Unverified. */
  eventTooLarge: {
    status: 413,
    delivery: 'fixed',
    message: 'Request Too Long',
    contentType: 'application/json',
    assumption: 'event-too-large',
  },
  /** Request headers over the quota. Unverified: no source gives AWS's answer. */
  headersTooLarge: {
    status: 431,
    delivery: 'gateway response',
    message: 'Request Header Fields Too Large',
    contentType: 'application/json',
    assumption: 'header-limit',
  },
  /** DEFAULT_5XX: the function failed, timed out, returned too much or a malformed result, or the gateway failed. */
  integrationFailure: {
    status: 502,
    delivery: 'gateway response',
    message: 'Internal server error',
    contentType: 'application/json',
    assumption: 'integration-failure',
  },
} as const satisfies Record<string, GatewayAnswer>;

export type GatewayResponse = keyof typeof GATEWAY_RESPONSES;

interface Rendered {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

function render(
  kind: GatewayResponse,
  cors: CorsOrigins | undefined,
  requestId: string | undefined,
  message: string | undefined,
): Rendered {
  const answer: GatewayAnswer = GATEWAY_RESPONSES[kind];
  const text = answer.message ?? message ?? '';
  const body = answer.contentType === 'application/json' ? JSON.stringify({ message: text }) : text;
  return {
    status: answer.status,
    headers: {
      'Content-Type': answer.contentType,
      ...(requestId !== undefined && { 'x-amzn-RequestId': requestId }),
      ...(answer.delivery === 'gateway response' && gatewayErrorHeaders(cors)),
    },
    body: Buffer.from(body),
  };
}

/** `message` is used only by answers whose message depends on the request. */
export function sendGatewayResponse(
  res: ServerResponse,
  cors: CorsOrigins | undefined,
  kind: GatewayResponse,
  requestId: string,
  message?: string,
) {
  const { status, headers, body } = render(kind, cors, requestId, message);
  send(res, status, headers, body);
}

/** A gateway response written straight to a socket Node's HTTP parser gave up on. */
export function rawGatewayResponse(cors: CorsOrigins | undefined, kind: GatewayResponse): string {
  const { status, headers, body } = render(kind, cors, undefined, undefined);
  const lines = Object.entries({ ...headers, 'Content-Length': String(body.length) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines}Connection: close\r\n\r\n${body}`;
}
