/**
 * Errors that know their HTTP status. `http.ts` maps them to responses in one place; below 500 the
 * message is shown to the client, from 500 up it is only logged (a server error may carry a fixed
 * `publicMessage` instead of the generic one).
 */
export abstract class HttpError extends Error {
  abstract readonly statusCode: number;

  /** Extra response headers this error requires (Allow, Retry-After). */
  get headers(): Readonly<Record<string, string>> {
    return {};
  }

  /** For a server error, a message with no internals that says more than the generic one. */
  get publicMessage(): string | undefined {
    return undefined;
  }

  /** Extra fields for the request's log line. */
  get logFields(): Readonly<Record<string, unknown>> {
    return {};
  }

  /** Spelled out, because the minifier renames classes and logs need stable error names. */
  abstract override readonly name: string;
}

export class BadRequestError extends HttpError {
  override readonly name = 'BadRequestError';
  readonly statusCode = 400;
}

export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';
  readonly statusCode = 404;
}

export class MethodNotAllowedError extends HttpError {
  override readonly name = 'MethodNotAllowedError';
  readonly statusCode = 405;
  constructor(readonly allow: string) {
    super(`Method not allowed; use ${allow}`);
  }
  override get headers() {
    return { Allow: this.allow };
  }
}

/** DynamoDB stayed throttled, failing or slow after the SDK's own retries: the client may retry later. */
export class UpstreamUnavailableError extends HttpError {
  override readonly name = 'UpstreamUnavailableError';
  readonly statusCode = 503;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  override get headers() {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

/** A fault retrying will not fix: missing table, denied access, bad configuration, a bug. */
export class InternalError extends HttpError {
  override readonly name = 'InternalError';
  readonly statusCode = 500;
}

/**
 * The item exists but its response would exceed what Lambda can return (LAMBDA_LIMITS): answered
 * as a JSON 500 that says so, instead of the bare 502 API Gateway would give.
 */
export class ItemTooLargeError extends HttpError {
  override readonly name = 'ItemTooLargeError';
  readonly statusCode = 500;
  constructor(
    readonly responseBytes: number,
    readonly limitBytes: number,
  ) {
    super(`The response would be ${responseBytes} bytes; Lambda returns at most ${limitBytes}`);
  }
  override get publicMessage() {
    return 'The item is too large to return';
  }
  override get logFields() {
    return { responseBytes: this.responseBytes, limitBytes: this.limitBytes };
  }
}

/** A required environment variable is missing or invalid; the message names it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** Anything thrown that is not already an HttpError is a bug or an unknown fault: a 500. */
export function toHttpError(error: unknown): HttpError {
  return error instanceof HttpError ? error : new InternalError('Unexpected error', { cause: error });
}
