import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  GetGatewayResponseCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  type RestApi,
} from '@aws-sdk/client-api-gateway';
import type { ApiAccess } from '#shared/access';
import type { EmulatorClients } from './emulated-aws';

/**
 * The access modes as the emulated deploy sets them in the copy's infra/config.ts, and what it
 * reads back. Each mode is deployed on a fresh dev stack: moto has no UpdateMethod, so the switch
 * between modes (a method's authorization or apiKeyRequired changing in place, as on AWS) is
 * shown by a plan only.
 */

export const VPC_ENDPOINT = 'vpce-0123456789abcdef0';

/** IAM callers, a private endpoint and a source allow-list: every statement the policy can hold. */
export const IAM_DEPLOY: ApiAccess = {
  mode: 'iam',
  callers: { accounts: ['123456789012'], roleArns: ['arn:aws:iam::444455556666:role/reader'] },
  network: { sourceCidrs: ['10.1.0.0/16'], privateEndpoint: { vpcEndpointIds: [VPC_ENDPOINT] } },
};

/**
 * A plan, a key API Gateway generates and one attached by the id of a key made outside Terraform;
 * regional with a source allow-list, or `private` behind the VPC endpoint as well.
 */
export function keysDeploy(attachedKeyId: string, options: { private?: boolean } = {}): ApiAccess {
  return {
    mode: 'api-key',
    plans: {
      partner: { throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 1000, period: 'MONTH' } },
    },
    consumers: { acme: { plan: 'partner' }, globex: { plan: 'partner', apiKeyId: attachedKeyId } },
    network: {
      sourceCidrs: ['203.0.113.0/24'],
      ...(options.private && { privateEndpoint: { vpcEndpointIds: [VPC_ENDPOINT] } }),
    },
  };
}

const CONFIG = 'infra/config.ts';
const DOMAIN = /,"customDomain":\{[^}]*\}/;
let stashedDomain: string | undefined;

/**
 * Sets dev's access in the copy, in place of `previous`, after the optional-settings test put its
 * JSON settings there. A regional custom domain cannot serve a private API, so it is set aside
 * while the endpoint is private and put back after: the bootstrap, deployed again for API keys,
 * keeps the deploy role's rights on the domain's zone, which the recorded calls are judged by.
 */
export function setAccess(tree: string, access: ApiAccess, previous?: ApiAccess): void {
  const file = path.join(tree, CONFIG);
  let text = readFileSync(file, 'utf8');
  if (previous !== undefined) {
    const cleared = text.replace(`"access":${JSON.stringify(previous)},`, '');
    if (cleared === text) throw new Error(`${CONFIG}: the previous access setting is not there`);
    text = cleared;
  }
  if (access.network?.privateEndpoint) {
    stashedDomain ??= DOMAIN.exec(text)?.[0];
    text = text.replace(DOMAIN, '');
  } else if (stashedDomain !== undefined && !DOMAIN.test(text)) {
    text = text.replace(/("wafWebAclArn":"[^"]*")/, `$1${stashedDomain}`);
  }
  const after = text.replace('"api":{"throttling"', `"api":{"access":${JSON.stringify(access)},"throttling"`);
  if (!after.includes(`"access":${JSON.stringify(access)}`))
    throw new Error(`${CONFIG}: dev's api settings are not as the optional-settings test left them`);
  writeFileSync(file, after);
}

export interface DeployedApi {
  readonly api: RestApi;
  readonly resourceId: string;
}

export async function deployedApi(aws: EmulatorClients, name: string): Promise<DeployedApi> {
  const api = (await aws.apigateway.send(new GetRestApisCommand({}))).items?.find((a) => a.name === name);
  if (api?.id === undefined) throw new Error(`no REST API ${name}`);
  const resource = (await aws.apigateway.send(new GetResourcesCommand({ restApiId: api.id }))).items?.find(
    (r) => r.path === '/{id}',
  );
  return { api, resourceId: resource?.id ?? '' };
}

/** `[method, authorizationType, apiKeyRequired]` of each method on `/{id}`. */
export async function methodAccess(aws: EmulatorClients, { api, resourceId }: DeployedApi) {
  return Promise.all(
    ['GET', 'HEAD', 'OPTIONS'].map(async (httpMethod) => {
      const method = await aws.apigateway.send(
        new GetMethodCommand({ restApiId: api.id, resourceId, httpMethod }),
      );
      return [httpMethod, method.authorizationType, method.apiKeyRequired] as const;
    }),
  );
}

export async function gatewayResponse(aws: EmulatorClients, { api }: DeployedApi, responseType: string) {
  return aws.apigateway.send(
    new GetGatewayResponseCommand({ restApiId: api.id, responseType: responseType as 'DEFAULT_4XX' }),
  );
}

/** The statements of the deployed resource policy, by Sid. */
export function policyStatements(api: RestApi): Record<string, Record<string, unknown>> {
  const document = JSON.parse(api.policy ?? '{"Statement":[]}') as { Statement: Record<string, unknown>[] };
  return Object.fromEntries(document.Statement.map((statement) => [statement.Sid, statement]));
}
