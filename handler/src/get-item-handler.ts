import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { allowedMethods, isItemMethod } from '#shared/response-policy';
import { DEFAULT_RESPONSE_SETTINGS, type ResponseSettings } from './config';
import {
  type HttpError,
  ItemTooLargeError,
  MethodNotAllowedError,
  NotFoundError,
  toHttpError,
} from './errors';
import {
  type CommonHeaders,
  corsHeaders,
  entityTag,
  errorResponse,
  ifNoneMatchHits,
  itemResponse,
  notModifiedResponse,
  readHeader,
  withoutBody,
} from './http';
import { renderItem } from './item-json';
import type { ItemsRepository } from './items-repository';
import { LAMBDA_LIMITS, oversizedResultBytes } from './lambda-limits';
import type { Logger } from './logger';
import { parseItemId } from './request';
import { withinTimeBudget } from './time-budget';
import { classifyUpstreamError, describeError } from './upstream-errors';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface GetItemHandlerDeps {
  readonly repository: ItemsRepository;
  readonly logger: Logger;
  /** Milliseconds, for latency; injected so tests control time. */
  readonly clock: () => number;
  /** CORS and Cache-Control. @default DEFAULT_RESPONSE_SETTINGS (no CORS, `no-cache`) */
  readonly responses?: ResponseSettings;
  /** Upper bound on the whole DynamoDB call, retries included. */
  readonly timeBudgetMs: number;
}

/** Leaves time to build and return the response before Lambda's own timeout. */
const RESPONSE_RESERVE_MS = 250;

const NO_CORS: CommonHeaders = {};

/**
 * GET and HEAD /{id}: validate the id, read the item, render it with an ETag. Every outcome,
 * including a bug, becomes a response: a throw out of a Lambda proxy handler reaches clients as a
 * bare 502. HEAD gets exactly what GET would, without the body.
 */
export function createGetItemHandler(deps: GetItemHandlerDeps): ProxyHandler {
  const { repository, logger, clock, timeBudgetMs } = deps;
  const { corsOrigins, itemCacheControl } = deps.responses ?? DEFAULT_RESPONSE_SETTINGS;
  const allow = allowedMethods(corsOrigins !== undefined).join(', ');

  return async (event, context) => {
    const started = clock();
    const requestId = event?.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
    // Without CORS nothing depends on Origin, so the headers are not read for it.
    const common =
      corsOrigins === undefined || !event ? NO_CORS : corsHeaders(corsOrigins, readHeader(event, 'origin'));
    let result: APIGatewayProxyResult;
    let failure: HttpError | undefined;
    try {
      if (!isItemMethod(event.httpMethod)) throw new MethodNotAllowedError(allow);
      const id = parseItemId(event);
      // Only DynamoDB's failures are classified as upstream; a bug further down stays a plain 500.
      const item = await withinTimeBudget(budgetFor(context, timeBudgetMs), repository.getItem(id)).catch(
        (error: unknown) => {
          throw classifyUpstreamError(error);
        },
      );
      if (item === null) throw new NotFoundError('Item not found');
      const body = renderItem(item);
      const etag = entityTag(body);
      result = ifNoneMatchHits(event, etag)
        ? notModifiedResponse(etag, itemCacheControl, common)
        : deliverable(itemResponse(body, etag, itemCacheControl, common));
    } catch (error) {
      failure = toHttpError(error);
      result = errorResponse(failure, requestId, common);
    }
    if (event?.httpMethod === 'HEAD') result = withoutBody(result);
    logRequest(logger, {
      event,
      context,
      requestId,
      status: result.statusCode,
      latencyMs: Math.round((clock() - started) * 100) / 100,
      failure,
    });
    return result;
  };
}

/** Lambda turns a result over its payload limit into API Gateway's bare 502; this answers a JSON 500 instead. */
function deliverable(result: APIGatewayProxyResult): APIGatewayProxyResult {
  const bytes = oversizedResultBytes(result);
  if (bytes !== undefined) throw new ItemTooLargeError(bytes, LAMBDA_LIMITS.responseBytes);
  return result;
}

function budgetFor(context: Context | undefined, timeBudgetMs: number): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return timeBudgetMs;
  return Math.max(1, Math.min(timeBudgetMs, remaining - RESPONSE_RESERVE_MS));
}

function logRequest(
  logger: Logger,
  entry: {
    event: APIGatewayProxyEvent | undefined;
    context: Context | undefined;
    requestId: string;
    status: number;
    latencyMs: number;
    failure: HttpError | undefined;
  },
): void {
  const { failure, status } = entry;
  const cause = failure?.cause;
  try {
    logger.log(status >= 500 ? 'ERROR' : 'INFO', 'request', {
      requestId: entry.context?.awsRequestId,
      apiRequestId: entry.event?.requestContext?.requestId,
      method: entry.event?.httpMethod,
      status,
      latencyMs: entry.latencyMs,
      ...(failure && { errorName: failure.name, ...failure.logFields }),
      // Internals stay in the logs, never in the response.
      ...(status >= 500 && { errorDetail: failure?.message, ...causeFields(cause) }),
    });
  } catch {
    // Logging must never turn a response into a 502.
  }
}

/** Why a server error happened, from the error it wraps: the SDK's message, code, HTTP status and request id. */
function causeFields(cause: unknown): Record<string, unknown> {
  if (cause === undefined) return {};
  const { name, message, code, httpStatus, requestId } = describeError(cause);
  return {
    causeName: name,
    causeMessage: message,
    causeCode: code,
    causeHttpStatus: httpStatus,
    causeRequestId: requestId,
  };
}
