import { createHash } from 'node:crypto';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { type CorsOrigins, ITEM_METHODS } from '../handler/src/response-policy';
import { CorsPreflight, gatewayErrorHeaders, gatewayResponseParameters } from './cors-preflight';
import { CustomDomain } from './custom-domain';
import type { GetItemFunction } from './get-item-function';
import { type CustomDomainSettings, checkLogRetentionDays, checkThrottling, checkWebAclArn } from './limits';

export interface RestApiProps {
  /** The function behind `GET /{id}`; API Gateway gets permission to invoke it from this API's stage only. */
  readonly handler: GetItemFunction;
  /** API name, also used for the access log group. */
  readonly apiName: string;
  /**
   * Stage name; the invoke URL ends in it.
   * @default 'v1'
   */
  readonly stageName?: string;
  /**
   * Steady-state request rate allowed per second, for every method.
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * Requests allowed in a burst, for every method.
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Retention of the access log group, in days.
   * @default 30
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Tags on the API, stage and log group, on top of the provider's default tags.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * A regional AWS WAF web ACL to associate with the stage. Off by default: throttling, request
   * validation and the handler's checks bound what a client can do, and WAF is billed per ACL, rule
   * and request (SECURITY.md).
   * @default - no WAF
   */
  readonly wafWebAclArn?: string;
  /**
   * Origins whose pages may read the API: adds the `OPTIONS` preflight and CORS headers on the
   * gateway's own error responses (the function adds them to its own).
   * @default - no CORS
   */
  readonly corsAllowOrigins?: CorsOrigins;
  /**
   * A custom domain that serves the stage at its root.
   * @default - the `execute-api` URL only
   */
  readonly customDomain?: CustomDomainSettings;
}

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

/** A regional REST API with one route, `GET` and `HEAD /{id}`, proxied to the function. */
export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
  /** Base URL of the stage; items are at `${invokeUrl}/<id>`. */
  readonly invokeUrl: string;
  /** The URL clients should use: the custom domain's when there is one, else `invokeUrl`. */
  readonly url: string;
  /** Present when `wafWebAclArn` is set. */
  readonly webAclAssociation?: Wafv2WebAclAssociation;
  /** Present when `corsAllowOrigins` is set. */
  readonly corsPreflight?: CorsPreflight;
  /** Present when `customDomain` is set. */
  readonly customDomain?: CustomDomain;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'v1';
    const rateLimit = props.throttlingRateLimit ?? 100;
    const burstLimit = props.throttlingBurstLimit ?? 200;
    const retention = props.accessLogRetentionDays ?? 30;
    validate(props.apiName, stageName, rateLimit, burstLimit, retention, props.wafWebAclArn);
    const tags = props.tags;
    const fn = props.handler.lambda;
    const cors = props.corsAllowOrigins;

    this.api = new ApiGatewayRestApi(this, 'api', {
      name: props.apiName,
      endpointConfiguration: { types: ['REGIONAL'] },
      // With a custom domain, clients can be kept from bypassing it (and a WAF on the stage).
      ...(props.customDomain?.disableDefaultEndpoint && { disableExecuteApiEndpoint: true }),
      tags,
    });

    // The API definition. Its content is hashed below, so any change to it redeploys the stage.
    const definition = {
      resource: { pathPart: '{id}' },
      validator: { name: 'path-parameters', validateRequestParameters: true, validateRequestBody: false },
      method: {
        httpMethod: 'GET',
        authorization: 'NONE',
        requestParameters: { 'method.request.path.id': true },
      },
      integration: { type: 'AWS_PROXY', integrationHttpMethod: 'POST' },
      notFound: {
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseTemplates: { 'application/json': NOT_FOUND_BODY },
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

    const resource = new ApiGatewayResource(this, 'item-resource', {
      restApiId: this.api.id,
      parentId: this.api.rootResourceId,
      ...definition.resource,
    });
    const validator = new ApiGatewayRequestValidator(this, 'validator', {
      restApiId: this.api.id,
      ...definition.validator,
    });
    // GET and HEAD (same headers, no body) both go to the function; the ids keep GET's resources
    // where they were before HEAD existed.
    const itemMethods = ITEM_METHODS.map((httpMethod) => {
      const name = httpMethod.toLowerCase();
      const method = new ApiGatewayMethod(this, `${name}-item`, {
        restApiId: this.api.id,
        resourceId: resource.id,
        requestValidatorId: validator.id,
        ...definition.method,
        httpMethod,
      });
      const integration = new ApiGatewayIntegration(this, `${name}-item-integration`, {
        restApiId: this.api.id,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        uri: lambdaInvokeUri(this.api, props.handler.functionName),
        ...definition.integration,
      });
      return { httpMethod, method, integration };
    });
    const notFound = new ApiGatewayGatewayResponse(this, 'not-found', {
      restApiId: this.api.id,
      ...definition.notFound,
    });
    const gatewayErrors = definition.gatewayErrors.map(
      (response) =>
        new ApiGatewayGatewayResponse(this, response.responseType.toLowerCase().replace('_', '-'), {
          restApiId: this.api.id,
          ...response,
        }),
    );
    if (cors !== undefined) {
      this.corsPreflight = new CorsPreflight(this, 'cors-preflight', {
        api: this.api,
        resource,
        origins: cors,
      });
    }
    const preflight = this.corsPreflight;

    const definitionHash = createHash('sha256').update(JSON.stringify(definition)).digest('hex');
    const deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: this.api.id,
      triggers: {
        // Ids change when a part is replaced; the hash when one is edited in place; the invoke ARN
        // when the function is replaced, which updates the integration in place.
        redeployment: Fn.sha1(
          Fn.jsonencode([
            definitionHash,
            resource.id,
            validator.id,
            ...itemMethods.flatMap(({ method, integration }) => [method.id, integration.id, integration.uri]),
            notFound.id,
            ...gatewayErrors.map((response) => response.id),
            ...(preflight
              ? [preflight.method.id, preflight.integration.id, preflight.integrationResponse.id]
              : []),
          ]),
        ),
      },
      // The stage keeps pointing at the old deployment until the new one exists. Terraform forces
      // create-before-destroy onto everything this resource depends on, so nothing with a fixed
      // name may be among its dependencies: replacing the table or the role would then create the
      // new one first, and AWS refuses a second table or role of the same name. Hence the
      // integration URI is built from the function's name rather than from the function resource.
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [
        ...itemMethods.flatMap(({ method, integration }) => [method, integration]),
        notFound,
        ...gatewayErrors,
        ...(preflight ? [preflight.method, preflight.integration, preflight.integrationResponse] : []),
      ],
    });

    this.accessLogGroup = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.apiName}/${stageName}/access`,
      retentionInDays: retention,
      tags,
    });

    // Access logging needs the region's API Gateway CloudWatch role (account settings) to be set
    // once; we do not manage aws_api_gateway_account here because it is a region-wide setting.
    // Invoked through this API's stage and these methods only: `*` is the resource path (`/{id}`
    // with any id). GET's keeps the id it had before HEAD existed.
    const invokePermissions = ITEM_METHODS.map(
      (httpMethod) =>
        new LambdaPermission(
          this,
          httpMethod === 'GET' ? 'invoke-permission' : `invoke-permission-${httpMethod.toLowerCase()}`,
          {
            statementId: `AllowApiGateway${httpMethod[0]}${httpMethod.slice(1).toLowerCase()}Item`,
            action: 'lambda:InvokeFunction',
            functionName: fn.functionName,
            principal: 'apigateway.amazonaws.com',
            sourceArn: `${this.api.executionArn}/${stageName}/${httpMethod}/*`,
          },
        ),
    );

    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId: this.api.id,
      deploymentId: deployment.id,
      stageName,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      tags,
      // The integration names the function but does not wait for it (see the deployment); the
      // stage, which makes a deployment live, does. A stage is not create-before-destroy, so this
      // dependency forces nothing onto the function.
      dependsOn: [fn, ...invokePermissions],
    });

    new ApiGatewayMethodSettings(this, 'method-settings', {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        metricsEnabled: true,
        // Data trace would log full request and response bodies: item data must not land in logs.
        dataTraceEnabled: false,
        // Execution logging goes through the same account-level role; the access log plus the
        // function's own logs already cover each request, so it stays off.
        loggingLevel: 'OFF',
      },
    });

    if (props.wafWebAclArn !== undefined) {
      this.webAclAssociation = new Wafv2WebAclAssociation(this, 'waf', {
        resourceArn: this.stage.arn,
        webAclArn: props.wafWebAclArn,
      });
    }

    this.invokeUrl = this.stage.invokeUrl;
    if (props.customDomain !== undefined) {
      this.customDomain = new CustomDomain(this, 'custom-domain', {
        api: this.api,
        stage: this.stage,
        settings: props.customDomain,
        tags,
      });
    }
    this.url = this.customDomain?.url ?? this.invokeUrl;
  }
}

/**
 * `arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`,
 * with partition, region and account taken from the API's own execution ARN
 * (`arn:<partition>:execute-api:<region>:<account>:<api id>`), so it references the API only.
 */
function lambdaInvokeUri(api: ApiGatewayRestApi, functionName: string): string {
  const part = (index: number) => Fn.element(Fn.split(':', api.executionArn), index);
  const [partition, region, account] = [part(1), part(3), part(4)];
  return `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/arn:${partition}:lambda:${region}:${account}:function:${functionName}/invocations`;
}

function validate(
  apiName: string,
  stageName: string,
  rateLimit: number,
  burstLimit: number,
  retention: number,
  wafWebAclArn: string | undefined,
) {
  const checks: [string, string | undefined][] = [
    [
      'apiName',
      /^[A-Za-z0-9_-]{1,128}$/.test(apiName)
        ? undefined
        : `must be 1-128 letters, digits, "-" or "_", got ${JSON.stringify(apiName)}`,
    ],
    [
      'stageName',
      /^[A-Za-z0-9_]{1,128}$/.test(stageName) ? undefined : 'must be 1-128 letters, digits or "_"',
    ],
    ['throttling', checkThrottling(rateLimit, burstLimit)],
    ['accessLogRetentionDays', checkLogRetentionDays(retention)],
    ['wafWebAclArn', checkWebAclArn(wafWebAclArn)],
  ];
  for (const [field, problem] of checks) {
    if (problem !== undefined) throw new Error(`RestApi.${field} ${problem}`);
  }
}
