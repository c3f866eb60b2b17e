import type { AccessMode } from '#shared/access';
import { type CorsOrigins, gatewayErrorHeaders } from '#shared/response-policy';
import { gatewayResponseParameters } from './cors-preflight';
import { type ApiGatewayRestApi, Fn } from './toolchain';

/** One JSON object per request; `$context.requestId` matches the handler's `requestId` in bodies and logs. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
  xrayTraceId: '$context.xrayTraceId',
});

/** API Gateway answers unknown routes with 403 "Missing Authentication Token"; clients should see a 404. */
export const NOT_FOUND_BODY = JSON.stringify({ message: 'Not found' });

/** The response types that cover every other error API Gateway produces itself. */
export const GATEWAY_ERROR_TYPES = ['DEFAULT_4XX', 'DEFAULT_5XX'] as const;

/** AWS's own default body for gateway errors, kept as is (`$context.error.messageString` is already quoted). */
export const GATEWAY_ERROR_BODY = '{"message":$context.error.messageString}';

export interface ApiDefinitionOptions {
  /** Origins CORS allows; undefined turns CORS off. */
  readonly cors: CorsOrigins | undefined;
  /**
   * Whether the `execute-api` URL is turned off. API Gateway applies that only when the stage is
   * next updated, so it belongs to what redeploys the stage (assumption `execute-api-disabled`).
   */
  readonly disableExecuteApiEndpoint: boolean;
  /**
   * Who may call (docs/access.md): the method's authorization and whether it requires a key.
   * @default 'public'
   */
  readonly mode?: AccessMode;
}

/**
 * What the REST API is, as plain data: the stage is redeployed whenever its hash changes, so every
 * setting of the route and of the gateway's own responses belongs here, and every API setting that
 * takes effect only on a deployment. In public mode it is exactly what it was before access modes
 * existed, so existing stacks plan no change.
 */
export function apiDefinition({ cors, disableExecuteApiEndpoint, mode = 'public' }: ApiDefinitionOptions) {
  return {
    // Present only when on, so turning it on (or off again) changes the hash, and an API that never
    // set it keeps the deployment it has.
    ...(disableExecuteApiEndpoint && { endpoint: { disableExecuteApiEndpoint } }),
    resource: { pathPart: '{id}' },
    validator: { name: 'path-parameters', validateRequestParameters: true, validateRequestBody: false },
    method: {
      httpMethod: 'GET',
      authorization: mode === 'iam' ? 'AWS_IAM' : 'NONE',
      ...(mode === 'api-key' && { apiKeyRequired: true }),
      requestParameters: { 'method.request.path.id': true },
    },
    integration: { type: 'AWS_PROXY', integrationHttpMethod: 'POST' },
    // Under IAM the same response type answers unsigned calls, which must stay AWS's 403 "Missing
    // Authentication Token"; unknown routes then get it too (docs/access.md).
    notFound: {
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: mode === 'iam' ? '403' : '404',
      responseTemplates: { 'application/json': mode === 'iam' ? GATEWAY_ERROR_BODY : NOT_FOUND_BODY },
      responseParameters: gatewayResponseParameters(gatewayErrorHeaders(cors)),
    },
    // Every other error API Gateway answers itself (throttling 429, WAF 403, its own 5xx): the
    // same body as AWS's default, with the same headers as the 404.
    gatewayErrors: GATEWAY_ERROR_TYPES.map((responseType) => ({
      responseType,
      responseTemplates: { 'application/json': GATEWAY_ERROR_BODY },
      responseParameters: gatewayResponseParameters(gatewayErrorHeaders(cors)),
    })),
  };
}

export type ApiDefinition = ReturnType<typeof apiDefinition>;

/**
 * `arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`,
 * with partition, region and account taken from the API's own execution ARN
 * (`arn:<partition>:execute-api:<region>:<account>:<api id>`), so it references the API only.
 */
export function lambdaInvokeUri(api: ApiGatewayRestApi, functionName: string): string {
  const part = (index: number) => Fn.element(Fn.split(':', api.executionArn), index);
  const [partition, region, account] = [part(1), part(3), part(4)];
  return `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/arn:${partition}:lambda:${region}:${account}:function:${functionName}/invocations`;
}
