import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface RestProxyRequest {
  readonly method: string;
  /** The raw path as sent, still percent-encoded. */
  readonly path: string;
  /** The raw `{id}` segment: API Gateway REST passes path parameters without decoding them. */
  readonly rawId: string | null;
  /** Header name/value pairs in arrival order, as in Node's `rawHeaders`. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly query?: URLSearchParams;
  readonly body?: string | null;
  readonly sourceIp?: string;
  readonly stage?: string;
}

/**
 * The v1 (REST API) Lambda proxy event API Gateway builds for `GET /{id}`: single-value
 * `headers` keep the last value of a repeated header, `multiValueHeaders` keep them all.
 */
export function buildRestProxyEvent(request: RestProxyRequest): APIGatewayProxyEvent {
  const stage = request.stage ?? 'local';
  const [headers, multiValueHeaders] = singleAndMultiValue(request.headers ?? []);
  const [query, multiQuery] = singleAndMultiValue(request.query ?? []);
  const hasQuery = Object.keys(query).length > 0;
  const hasHeaders = Object.keys(headers).length > 0;
  const now = new Date();
  return {
    resource: '/{id}',
    path: request.path,
    httpMethod: request.method,
    headers: hasHeaders ? headers : (null as unknown as APIGatewayProxyEvent['headers']),
    multiValueHeaders: hasHeaders
      ? multiValueHeaders
      : (null as unknown as APIGatewayProxyEvent['multiValueHeaders']),
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: request.rawId === null ? null : { id: request.rawId },
    stageVariables: null,
    body: request.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      path: `/${stage}${request.path}`,
      stage,
      requestId: randomUUID(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: '/{id}',
      identity: {
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
    },
  };
}

/** API Gateway's two views of repeated names: the last value, and every value in order. */
function singleAndMultiValue(pairs: Iterable<readonly [string, string]>) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return [single, multi] as const;
}
