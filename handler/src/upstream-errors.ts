import { HttpError, InternalError, UpstreamUnavailableError } from './errors';

/** Retrying later can succeed: capacity or rate limits. */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** The request never got a complete answer: it timed out, was cut off, or the budget ran out. */
const TRANSIENT = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
  'InternalServerError',
  'ServiceUnavailable',
]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

const RETRY_AFTER_SECONDS = 1;

/**
 * Classifies what the DynamoDB call threw, after the SDK's own retries are spent. Throttling,
 * DynamoDB 5xx and timeouts become 503 with Retry-After; everything else (missing table, access
 * denied, validation, unknown) is a 500, since retrying will not help.
 */
export function classifyUpstreamError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const { name, code, status } = describe(error);
  if (THROTTLING.has(name)) return unavailable('DynamoDB throttled the request', error);
  if (status !== undefined && status >= 500) return unavailable(`DynamoDB answered ${status}`, error);
  if (TRANSIENT.has(name) || (code !== undefined && TRANSIENT_CODES.has(code))) {
    return unavailable('DynamoDB did not answer in time', error);
  }
  return new InternalError(`DynamoDB request failed: ${name}`, { cause: error });
}

function unavailable(message: string, cause: unknown): UpstreamUnavailableError {
  return new UpstreamUnavailableError(message, RETRY_AFTER_SECONDS, { cause });
}

function describe(error: unknown): { name: string; code?: string; status?: number } {
  const { name, code, httpStatus } = describeError(error);
  return { name, code, status: httpStatus };
}

/** Long enough for any SDK message; a bound so one odd error cannot flood the log. */
const MAX_MESSAGE_LENGTH = 1000;

/**
 * What a thrown value says about itself, for the log: its name and message, a network error's
 * code, and for a DynamoDB error the HTTP status and request id AWS support asks for.
 */
export function describeError(error: unknown): {
  name: string;
  message?: string;
  code?: string;
  httpStatus?: number;
  requestId?: string;
} {
  if (typeof error !== 'object' || error === null) return { name: typeof error };
  const e = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
  };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message.slice(0, MAX_MESSAGE_LENGTH) : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
    httpStatus: typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined,
    requestId: typeof e.$metadata?.requestId === 'string' ? e.$metadata.requestId : undefined,
  };
}
