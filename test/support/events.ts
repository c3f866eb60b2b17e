import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { buildRestProxyEvent } from '#local/rest-proxy-event';

export interface EventOptions {
  /** The raw path parameter, still percent-encoded as API Gateway sends it; null omits pathParameters. */
  rawId?: string | null;
  method?: string;
  headers?: Record<string, string>;
}

/** A REST proxy event for GET /{id}, built the way API Gateway builds it; override what a test varies. */
export function restEvent(options: EventOptions = {}): APIGatewayProxyEvent {
  const rawId = options.rawId === undefined ? 'item-1' : options.rawId;
  return buildRestProxyEvent({
    method: options.method ?? 'GET',
    path: `/${rawId ?? ''}`,
    rawId,
    headers: Object.entries(options.headers ?? {}),
    stage: 'test',
  });
}

/** An id as a client would put it in the URL. */
export function eventForId(id: string, options: Omit<EventOptions, 'rawId'> = {}): APIGatewayProxyEvent {
  return restEvent({ ...options, rawId: encodeURIComponent(id) });
}

export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    awsRequestId: 'lambda-request-1',
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'item-api-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:item-api-test',
    memoryLimitInMB: '256',
    logGroupName: '/aws/lambda/item-api-test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 6000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
    ...overrides,
  };
}
