import { Construct } from 'constructs';
import type { AccessMode } from '#shared/access';
import { type CorsOrigins, PREFLIGHT_METHOD, preflightHeaders } from '#shared/response-policy';
import {
  ApiGatewayIntegration,
  ApiGatewayIntegrationResponse,
  ApiGatewayMethod,
  ApiGatewayMethodResponse,
  type ApiGatewayResource,
  type ApiGatewayRestApi,
} from './toolchain';

export interface CorsPreflightProps {
  readonly api: ApiGatewayRestApi;
  /** The `/{id}` resource the preflight is for. */
  readonly resource: ApiGatewayResource;
  readonly origins: CorsOrigins;
  /**
   * The API's access mode: the preflight allows the headers it needs (`x-api-key`, or the SigV4
   * signature's). The preflight itself stays unauthenticated: browsers send it without credentials.
   * @default 'public'
   */
  readonly accessMode?: AccessMode;
}

/** A header value in API Gateway's parameter mapping: a literal is single-quoted. */
const literal = (value: string) => `'${value}'`;

/**
 * `OPTIONS /{id}`, answered by API Gateway itself (a MOCK integration): a browser's preflight for a
 * conditional GET never reaches the function. With several origins the answer echoes the request's
 * `Origin` only when it is listed; that choice needs a mapping template (`responseOverride`),
 * because a parameter mapping can only copy a request header unconditionally.
 */
export class CorsPreflight extends Construct {
  readonly method: ApiGatewayMethod;
  readonly integration: ApiGatewayIntegration;
  readonly integrationResponse: ApiGatewayIntegrationResponse;
  /** Everything the API deployment must wait for and redeploy on. */
  readonly definition: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: CorsPreflightProps) {
    super(scope, id);
    const { api, resource, origins } = props;
    const headers = preflightHeaders(origins, props.accessMode);
    const echoTemplate = origins === '*' || origins.length === 1 ? undefined : originEchoTemplate(origins);
    this.definition = { headers, echoTemplate };

    this.method = new ApiGatewayMethod(this, 'method', {
      restApiId: api.id,
      resourceId: resource.id,
      httpMethod: PREFLIGHT_METHOD,
      authorization: 'NONE',
    });
    this.integration = new ApiGatewayIntegration(this, 'integration', {
      restApiId: api.id,
      resourceId: resource.id,
      httpMethod: this.method.httpMethod,
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 204}' },
    });
    const responseHeaders = [...Object.keys(headers), 'Access-Control-Allow-Origin'];
    const methodResponse = new ApiGatewayMethodResponse(this, 'method-response', {
      restApiId: api.id,
      resourceId: resource.id,
      httpMethod: this.method.httpMethod,
      statusCode: '204',
      responseParameters: Object.fromEntries(
        [...new Set(responseHeaders)].map((name) => [`method.response.header.${name}`, true]),
      ),
    });
    this.integrationResponse = new ApiGatewayIntegrationResponse(this, 'integration-response', {
      restApiId: api.id,
      resourceId: resource.id,
      httpMethod: this.method.httpMethod,
      statusCode: methodResponse.statusCode,
      responseParameters: Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [`method.response.header.${name}`, literal(value)]),
      ),
      ...(echoTemplate !== undefined && { responseTemplates: { 'application/json': echoTemplate } }),
      dependsOn: [this.integration, methodResponse],
    });
  }
}

/** Sets Access-Control-Allow-Origin to the request's Origin when, and only when, it is listed. */
function originEchoTemplate(origins: readonly string[]): string {
  // The origins were validated (scheme, host, port only), so they hold no quote to escape.
  const listed = origins.map((origin) => `$origin == "${origin}"`).join(' || ');
  return [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if("$!origin" == "")#set($origin = $input.params().header.get("origin"))#end',
    `#if(${listed})`,
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
  ].join('\n');
}

/** As a gateway response's `responseParameters`. */
export function gatewayResponseParameters(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [`gatewayresponse.header.${name}`, literal(value)]),
  );
}
