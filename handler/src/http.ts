import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  allowedOrigin,
  CORS_EXPOSED_HEADERS,
  type CorsOrigins,
  ERROR_CACHE_CONTROL,
} from '#shared/response-policy';
import { toHttpError } from './errors';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Headers every response to a request carries (CORS, when configured). */
export type CommonHeaders = Readonly<Record<string, string>>;

/**
 * CORS headers for a request from `requestOrigin`: the origin may read the response only when it
 * is allowed (a listed origin is echoed, any other gets no Allow-Origin at all). Unless any origin
 * may read it, the answer depends on Origin, so caches are told to vary on it.
 */
export function corsHeaders(origins: CorsOrigins, requestOrigin: string | undefined): CommonHeaders {
  const origin = allowedOrigin(origins, requestOrigin);
  return {
    ...(origin !== undefined && {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(', '),
    }),
    ...(origins !== '*' && { Vary: 'Origin' }),
  };
}

/** A strong validator derived from the exact bytes served, so any change to the item changes it. */
export function entityTag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/**
 * RFC 9110 If-None-Match: weak comparison, a comma-separated list, or `*` for "any current
 * representation".
 */
export function ifNoneMatchHits(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
  etag: string,
) {
  const header = readHeader(event, 'if-none-match');
  if (header === undefined) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === opaque;
  });
}

/** Header lookup across `headers` and `multiValueHeaders`, case-insensitively, lists joined. */
export function readHeader(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
  name: string,
): string | undefined {
  const values: string[] = [];
  for (const [key, list] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === name && Array.isArray(list))
      values.push(...list.filter((v) => typeof v === 'string'));
  }
  if (values.length === 0) {
    for (const [key, value] of Object.entries(event.headers ?? {})) {
      if (key.toLowerCase() === name && typeof value === 'string') values.push(value);
    }
  }
  return values.length > 0 ? values.join(',') : undefined;
}

/** A 200 with the item; `cacheControl` is the configured item policy. */
export function itemResponse(
  body: string,
  etag: string,
  cacheControl: string,
  common: CommonHeaders,
): APIGatewayProxyResult {
  return {
    statusCode: 200,
    headers: { ...common, 'Content-Type': JSON_CONTENT_TYPE, ETag: etag, 'Cache-Control': cacheControl },
    body,
  };
}

/** RFC 9110 §15.4.5: a 304 carries the ETag and Cache-Control the 200 would have. */
export function notModifiedResponse(
  etag: string,
  cacheControl: string,
  common: CommonHeaders,
): APIGatewayProxyResult {
  return { statusCode: 304, headers: { ...common, ETag: etag, 'Cache-Control': cacheControl }, body: '' };
}

/**
 * The answer to HEAD: GET's status and headers, no body (RFC 9110 §9.3.2). No Content-Length is
 * sent: API Gateway REST would not pass it on (it remaps an integration's Content-Length to
 * `x-amzn-Remapped-Content-Length`).
 */
export function withoutBody(result: APIGatewayProxyResult): APIGatewayProxyResult {
  return { ...result, body: '' };
}

const GENERIC_MESSAGES: Record<number, string> = {
  500: 'Internal server error',
  503: 'Service temporarily unavailable; retry later',
};

/**
 * The one place errors become responses. Client errors (4xx) show their message; server errors
 * show only a generic (or the error's fixed public) message and the request id, never a stack, SDK
 * error or table name. No error is stored by caches: a 404 kept would hide an item created next, a
 * 503 kept would outlive the outage.
 */
export function errorResponse(
  error: unknown,
  requestId: string,
  common: CommonHeaders,
): APIGatewayProxyResult {
  const httpError = toHttpError(error);
  const { statusCode } = httpError;
  const message =
    statusCode < 500
      ? httpError.message
      : (httpError.publicMessage ?? GENERIC_MESSAGES[statusCode] ?? GENERIC_MESSAGES[500]);
  return {
    statusCode,
    headers: {
      ...common,
      ...httpError.headers,
      'Content-Type': JSON_CONTENT_TYPE,
      'Cache-Control': ERROR_CACHE_CONTROL,
    },
    body: JSON.stringify({ message, requestId }),
  };
}
