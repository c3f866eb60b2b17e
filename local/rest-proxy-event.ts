import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface RestProxyRequest {
  readonly method: string;
  /** The raw path as sent, still percent-encoded. */
  readonly path: string;
  /** The raw `{id}` segment: API Gateway REST passes path parameters without decoding them. */
  readonly rawId: string | null;
  /** Header name/value pairs in arrival order, as in Node's `rawHeaders`. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Query name/value pairs in order, already decoded, as URLSearchParams yields them. */
  readonly query?: Iterable<readonly [string, string]>;
  readonly body?: string | null;
  readonly sourceIp?: string;
  readonly stage?: string;
  /** The port and scheme the client reached the API on. @default 443 and https, as deployed */
  readonly port?: number;
  readonly protocol?: 'http' | 'https';
  /** @default now */
  readonly time?: Date;
  /** `requestContext.requestId`, also the `x-amzn-RequestId` the client gets. @default a new UUID */
  readonly requestId?: string;
}

/** A string map with no prototype, so names such as `__proto__` or `constructor` are plain keys. */
type PlainMap<T> = Record<string, T>;

/**
 * The v1 (REST API) Lambda proxy event API Gateway builds for `GET /{id}`, field for field as in
 * recorded events (aws-lambda-go's events/testdata/apigw-request.json, AWS's documented example):
 * single-value `headers` keep the last value of a repeated header, `multiValueHeaders` keep them
 * all, and API Gateway's own headers (`X-Forwarded-*`, `X-Amzn-Trace-Id`) are added, so `headers`
 * is never null. A missing query string is null, as API Gateway sends it.
 */
export function buildRestProxyEvent(request: RestProxyRequest): APIGatewayProxyEvent {
  const stage = request.stage ?? 'local';
  const time = request.time ?? new Date();
  const sourceIp = request.sourceIp ?? '127.0.0.1';
  const headerPairs = withGatewayHeaders(request.headers ?? [], {
    sourceIp,
    port: request.port ?? 443,
    protocol: request.protocol ?? 'https',
    time,
  });
  const [headers, multiValueHeaders] = singleAndMultiValue(headerPairs);
  const [query, multiQuery] = singleAndMultiValue(request.query ?? []);
  const hasQuery = Object.keys(query).length > 0;
  const host = lastValue(headerPairs, 'host') ?? 'localhost';
  return {
    resource: '/{id}',
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
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
      domainName: host,
      domainPrefix: host.split(/[.:]/, 1)[0] ?? host,
      extendedRequestId: randomBytes(11).toString('base64'),
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      path: `/${stage}${request.path}`,
      stage,
      requestId: request.requestId ?? randomUUID(),
      requestTime: clfTime(time),
      requestTimeEpoch: time.getTime(),
      resourceId: 'local',
      resourcePath: '/{id}',
      identity: {
        sourceIp,
        userAgent: lastValue(headerPairs, 'user-agent') ?? null,
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

/**
 * The headers API Gateway adds or sets before the integration runs: the client's address appended
 * to X-Forwarded-For, the port and scheme it connected with, and an X-Ray trace id when the
 * client sent none. A header the client sent keeps the client's spelling of its name.
 */
function withGatewayHeaders(
  pairs: ReadonlyArray<readonly [string, string]>,
  client: { sourceIp: string; port: number; protocol: string; time: Date },
): [string, string][] {
  const out = pairs.map(([name, value]): [string, string] => [name, value]);
  const set = (name: string, value: (previous: string | undefined) => string, overwrite: boolean) => {
    const index = out.findLastIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    const existing = out[index];
    if (!existing) out.push([name, value(undefined)]);
    else if (overwrite) existing[1] = value(existing[1]);
  };
  set(
    'X-Forwarded-For',
    (previous) => (previous ? `${previous}, ${client.sourceIp}` : client.sourceIp),
    true,
  );
  set('X-Forwarded-Port', () => String(client.port), true);
  set('X-Forwarded-Proto', () => client.protocol, true);
  const epochSeconds = Math.floor(client.time.getTime() / 1000).toString(16);
  set('X-Amzn-Trace-Id', () => `Root=1-${epochSeconds}-${randomBytes(12).toString('hex')}`, false);
  return out;
}

/** API Gateway's two views of repeated names: the last value, and every value in order. */
function singleAndMultiValue(pairs: Iterable<readonly [string, string]>) {
  const single: PlainMap<string> = Object.create(null);
  const multi: PlainMap<string[]> = Object.create(null);
  for (const [name, value] of pairs) {
    single[name] = value;
    const values = multi[name];
    if (values) values.push(value);
    else multi[name] = [value];
  }
  return [single, multi] as const;
}

function lastValue(
  pairs: ReadonlyArray<readonly [string, string]>,
  lowerCaseName: string,
): string | undefined {
  return pairs.findLast(([name]) => name.toLowerCase() === lowerCaseName)?.[1];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `requestTime` as API Gateway writes it: 15/May/2020:06:01:09 +0000. */
function clfTime(time: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(time.getUTCDate())}/${MONTHS[time.getUTCMonth()]}/${time.getUTCFullYear()}:` +
    `${two(time.getUTCHours())}:${two(time.getUTCMinutes())}:${two(time.getUTCSeconds())} +0000`
  );
}
