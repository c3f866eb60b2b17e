import { Construct } from 'constructs';
import { type ApiAccess, PUBLIC_ACCESS, validateApiAccess } from '#shared/access';
import { type CorsOrigins, checkCorsOrigins, ITEM_METHODS } from '#shared/response-policy';
import {
  checkApiName,
  checkBurstLimit,
  checkLogRetentionDays,
  checkRateLimit,
  checkStageName,
  checkWebAclArn,
  DEFAULT_LOG_RETENTION_DAYS,
} from '#shared/rules';
import { Validator } from '#shared/validation';
import { addAccessPolicy } from './api-access-policy';
import { ACCESS_LOG_FORMAT, apiDefinition } from './api-definition';
import { addApiDeployment } from './api-deployment';
import { addItemRoutes } from './api-routes';
import { CorsPreflight } from './cors-preflight';
import { CustomDomain, type CustomDomainSettings, validateCustomDomainSettings } from './custom-domain';
import type { GetItemFunction } from './get-item-function';
import {
  ApiGatewayMethodSettings,
  ApiGatewayRestApi,
  type ApiGatewayRestApiPolicy,
  ApiGatewayStage,
  CloudwatchLogGroup,
  LambdaPermission,
  Wafv2WebAclAssociation,
} from './toolchain';
import { UsagePlans } from './usage-plans';

/** What an environment may set about its API. */
export interface RestApiSettings {
  /**
   * Stage name; the invoke URL ends in it.
   * @default 'v1'
   */
  readonly stageName?: string;
  /**
   * Stage throttling for every method: steady rate (requests per second) and burst (requests).
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * A regional AWS WAF web ACL to associate with the stage. Off by default: throttling, request
   * validation and the handler's checks bound what a client can do, and WAF is billed per ACL, rule
   * and request (SECURITY.md).
   *
   * A rule that blocks with a custom response answers with that response alone: AWS WAF custom
   * responses take precedence over the API's gateway responses, so the client gets the rule's
   * status, body and headers, not the JSON `message`, `Cache-Control: no-store` or the CORS headers
   * every other error carries (a page cannot even read it). Give such rules those headers yourself,
   * or block without a custom response (WAF_FILTERED, answered through DEFAULT_4XX: a JSON 403 with
   * them). docs/api-gateway-assumptions.md, `waf-custom-response`.
   * @default - no WAF
   */
  readonly wafWebAclArn?: string;
  /**
   * A custom domain that serves the stage at its root.
   * @default - the `execute-api` URL only
   */
  readonly customDomain?: CustomDomainSettings;
  /**
   * Who may call: anyone, consumers with API keys on usage plans, or IAM principals (SigV4); and
   * optionally only from given networks. docs/access.md describes each mode.
   * @default { mode: 'public' }
   */
  readonly access?: ApiAccess;
}

export interface RestApiProps extends RestApiSettings {
  /** The function behind `/{id}`; API Gateway gets permission to invoke it from this API's stage only. */
  readonly handler: GetItemFunction;
  /** API name, also used for the access log group. */
  readonly apiName: string;
  /**
   * Retention of the access log group, in days.
   * @default 30
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Origins whose pages may read the API: adds the `OPTIONS` preflight and CORS headers on the
   * gateway's own error responses (the function adds them to its own).
   * @default - no CORS
   */
  readonly corsAllowOrigins?: CorsOrigins;
  /**
   * Tags on the API, stage and log group, on top of the provider's default tags.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const REST_API_DEFAULTS = {
  stageName: 'v1',
  throttling: { rateLimit: 100, burstLimit: 200 },
  accessLogRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
} as const;

/** `region`: the stack's, when known, for the custom domain's certificate. */
export function validateRestApiSettings(settings: RestApiSettings, at: Validator, region?: string): void {
  at.check('stageName', settings.stageName, checkStageName)
    .check('throttling.rateLimit', settings.throttling?.rateLimit, checkRateLimit)
    .check('throttling.burstLimit', settings.throttling?.burstLimit, checkBurstLimit)
    .check('wafWebAclArn', settings.wafWebAclArn, (arn) => checkWebAclArn(arn, region));
  if (settings.customDomain !== undefined) {
    validateCustomDomainSettings(settings.customDomain, at.at('customDomain'), region);
  }
  if (settings.access !== undefined) {
    validateApiAccess(settings.access, at.at('access'), {
      stageThrottling: settings.throttling ?? REST_API_DEFAULTS.throttling,
      hasCustomDomain: settings.customDomain !== undefined,
    });
  }
}

/** A regional REST API with one route, `GET` and `HEAD /{id}`, proxied to the function. */
export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
  readonly apiId: string;
  readonly apiName: string;
  readonly stageName: string;
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
  /** Present when `access` calls for a resource policy (IAM callers or network limits). */
  readonly accessPolicy?: ApiGatewayRestApiPolicy;
  /** Present in `api-key` mode. */
  readonly usagePlans?: UsagePlans;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    validate(props);
    const stageName = props.stageName ?? REST_API_DEFAULTS.stageName;
    const { rateLimit, burstLimit } = props.throttling ?? REST_API_DEFAULTS.throttling;
    const tags = props.tags;
    const fn = props.handler.lambda;
    const cors = props.corsAllowOrigins;
    const access = props.access ?? PUBLIC_ACCESS;

    // With a custom domain, clients can be kept from bypassing it (and a WAF on the stage).
    const disableExecuteApiEndpoint = props.customDomain?.disableDefaultEndpoint === true;
    this.api = new ApiGatewayRestApi(this, 'api', {
      name: props.apiName,
      endpointConfiguration: { types: [access.network?.privateEndpoint ? 'PRIVATE' : 'REGIONAL'] },
      ...(disableExecuteApiEndpoint && { disableExecuteApiEndpoint }),
      tags,
    });

    const definition = apiDefinition({ cors, disableExecuteApiEndpoint, mode: access.mode });
    const routes = addItemRoutes(this, this.api, definition, props.handler.name);
    if (cors !== undefined) {
      this.corsPreflight = new CorsPreflight(this, 'cors-preflight', {
        api: this.api,
        resource: routes.resource,
        origins: cors,
        accessMode: access.mode,
      });
    }
    this.accessPolicy = addAccessPolicy(this, this.api, access, cors !== undefined);
    const deployment = addApiDeployment(this, {
      api: this.api,
      definition,
      routes,
      preflight: this.corsPreflight,
      accessPolicy: this.accessPolicy,
    });

    this.accessLogGroup = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.apiName}/${stageName}/access`,
      retentionInDays: props.accessLogRetentionDays ?? REST_API_DEFAULTS.accessLogRetentionDays,
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
            functionName: props.handler.functionName,
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

    if (access.mode === 'api-key') {
      this.usagePlans = new UsagePlans(this, 'usage-plans', {
        api: this.api,
        stage: this.stage,
        access,
        namePrefix: props.apiName,
        tags,
      });
    }

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
    this.apiId = this.api.id;
    this.apiName = this.api.name;
    this.stageName = this.stage.stageName;
  }
}

function validate(props: RestApiProps): void {
  const validator = Validator.for('RestApi')
    .check('apiName', props.apiName, checkApiName)
    .check('accessLogRetentionDays', props.accessLogRetentionDays, checkLogRetentionDays)
    .check('corsAllowOrigins', props.corsAllowOrigins, checkCorsOrigins);
  validateRestApiSettings(props, validator);
  validator.throwIfInvalid('RestApi props');
}
