import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * Lambda's synchronous payload limits, in bytes of the JSON that crosses the Runtime API: for the
 * response, the whole proxy result object (statusCode, headers, body, ...) as the runtime
 * serialises it with JSON.stringify, not just the body. The numbers are the ones Lambda's own
 * errors quote: "Response payload size exceeded maximum allowed payload size (6291556 bytes)"
 * (Function.ResponseSizeTooLarge, which API Gateway answers with a 502) and "Request must be
 * smaller than 6291456 bytes for the InvokeFunction operation".
 */
export const LAMBDA_LIMITS = {
  responseBytes: 6_291_556,
  requestBytes: 6_291_456,
} as const;

/** Bytes Lambda counts for this result: its JSON text, in UTF-8. */
export function proxyResultBytes(result: APIGatewayProxyResult): number {
  return Buffer.byteLength(JSON.stringify(result), 'utf8');
}

/**
 * JSON.stringify writes a UTF-16 unit of a string as at most 6 bytes (`\u0000`), so a body this
 * short cannot push a result over the limit; 64 KiB is left for the rest of the result (Lambda
 * caps a function's whole environment, CORS origin included, at 4 KB).
 */
const ALWAYS_FITS_BODY_LENGTH = Math.floor((LAMBDA_LIMITS.responseBytes - 64 * 1024) / 6);

/** The result's size when Lambda could not deliver it, otherwise undefined. Exact, and free for ordinary items. */
export function oversizedResultBytes(result: APIGatewayProxyResult): number | undefined {
  if (result.body.length <= ALWAYS_FITS_BODY_LENGTH) return undefined;
  const bytes = proxyResultBytes(result);
  return bytes > LAMBDA_LIMITS.responseBytes ? bytes : undefined;
}
