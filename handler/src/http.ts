import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { toHttpError } from './errors';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Headers every response carries (CORS, when configured). */
export type CommonHeaders = Readonly<Record<string, string>>;

export function corsHeaders(allowOrigin: string | undefined): CommonHeaders {
  if (allowOrigin === undefined) return {};
  return {
    'Access-Control-Allow-Origin': allowOrigin,
    // Browsers hide ETag from scripts unless it is exposed, and conditional GETs need it.
    'Access-Control-Expose-Headers': 'ETag',
    ...(allowOrigin === '*' ? {} : { Vary: 'Origin' }),
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

export function itemResponse(body: string, etag: string, common: CommonHeaders): APIGatewayProxyResult {
  return { statusCode: 200, headers: { ...common, 'Content-Type': JSON_CONTENT_TYPE, ETag: etag }, body };
}

export function notModifiedResponse(etag: string, common: CommonHeaders): APIGatewayProxyResult {
  return { statusCode: 304, headers: { ...common, ETag: etag }, body: '' };
}

const GENERIC_MESSAGES: Record<number, string> = {
  500: 'Internal server error',
  503: 'Service temporarily unavailable; retry later',
};

/**
 * The one place errors become responses. Client errors (4xx) show their message; server errors
 * show only a generic (or the error's fixed public) message and the request id, never a stack, SDK
 * error or table name.
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
    headers: { ...common, ...httpError.headers, 'Content-Type': JSON_CONTENT_TYPE },
    body: JSON.stringify({ message, requestId }),
  };
}
