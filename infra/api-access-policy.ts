import type { Construct } from 'constructs';
import type { ApiAccess } from '#shared/access';
import { ITEM_METHODS, PREFLIGHT_METHOD } from '#shared/response-policy';
import { type ApiGatewayRestApi, ApiGatewayRestApiPolicy, Fn } from './toolchain';

/**
 * The REST API's resource policy for an access setting, as plain data, or undefined when plain
 * public access needs none (so public stacks keep having no policy at all).
 *
 * API Gateway evaluates it as documented in "How API Gateway resource policies affect authorization
 * workflow": without IAM authorization a call needs an explicit Allow; with IAM, a caller in the
 * API's own account is let in when either its identity policy or this policy allows, so naming the
 * callers in an Allow alone would not keep the account's other principals out: a Deny does.
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: '*' | { readonly AWS: readonly string[] };
  readonly Action: 'execute-api:Invoke';
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export interface PolicyTarget {
  /** `arn:<partition>:execute-api:<region>:<account>:<api id>`; the full ARN, because API Gateway rewrites the `execute-api:/` shorthand on save and the plan would never be clean. */
  readonly executionArn: string;
  readonly partition: string;
  /** Whether the OPTIONS preflight exists: browsers send it without credentials, so it must stay open. */
  readonly preflight: boolean;
}

const INVOKE = 'execute-api:Invoke';

export function resourcePolicy(access: ApiAccess, target: PolicyTarget): PolicyDocument | undefined {
  if (access.mode !== 'iam' && access.network === undefined) return undefined;
  const everything = `${target.executionArn}/*`;
  const methods = (names: readonly string[]) => names.map((m) => `${target.executionArn}/*/${m}/*`);
  const statements: PolicyStatement[] = [];

  if (access.mode === 'iam') {
    const { accounts = [], roleArns = [] } = access.callers;
    const principals = [...accounts.map((a) => `arn:${target.partition}:iam::${a}:root`), ...roleArns];
    statements.push({
      Sid: 'AllowNamedCallers',
      Effect: 'Allow',
      Principal: { AWS: principals },
      Action: INVOKE,
      Resource: methods(ITEM_METHODS),
    });
    statements.push({
      Sid: 'DenyOtherCallers',
      Effect: 'Deny',
      Principal: '*',
      Action: INVOKE,
      Resource: methods(ITEM_METHODS),
      // Both conditions must hold to deny: a caller in a listed account or with a listed role passes.
      Condition: {
        ...(accounts.length > 0 && { StringNotEquals: { 'aws:PrincipalAccount': accounts } }),
        ...(roleArns.length > 0 && { ArnNotLike: { 'aws:PrincipalArn': roleArns } }),
      },
    });
    if (target.preflight) {
      statements.push({
        Sid: 'AllowPreflight',
        Effect: 'Allow',
        Principal: '*',
        Action: INVOKE,
        Resource: methods([PREFLIGHT_METHOD]),
      });
    }
  } else {
    statements.push({
      Sid: 'AllowInvoke',
      Effect: 'Allow',
      Principal: '*',
      Action: INVOKE,
      Resource: everything,
    });
  }

  const { sourceCidrs, privateEndpoint } = access.network ?? {};
  if (sourceCidrs !== undefined) {
    // Calls through a VPC endpoint carry the VPC's private address in aws:VpcSourceIp; aws:SourceIp
    // then holds no client address to match.
    const key = privateEndpoint !== undefined ? 'aws:VpcSourceIp' : 'aws:SourceIp';
    statements.push({
      Sid: 'DenyOtherSources',
      Effect: 'Deny',
      Principal: '*',
      Action: INVOKE,
      Resource: everything,
      Condition: { NotIpAddress: { [key]: sourceCidrs } },
    });
  }
  if (privateEndpoint !== undefined) {
    statements.push({
      Sid: 'DenyOtherEndpoints',
      Effect: 'Deny',
      Principal: '*',
      Action: INVOKE,
      Resource: everything,
      Condition: { StringNotEquals: { 'aws:SourceVpce': privateEndpoint.vpcEndpointIds } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The API's resource policy, when the access setting needs one. Created in the API's scope; a
 * change to it takes effect only with a new deployment, so the deployment's triggers include it.
 */
export function addAccessPolicy(
  scope: Construct,
  api: ApiGatewayRestApi,
  access: ApiAccess,
  preflight: boolean,
): ApiGatewayRestApiPolicy | undefined {
  const document = resourcePolicy(access, {
    executionArn: api.executionArn,
    partition: Fn.element(Fn.split(':', api.executionArn), 1),
    preflight,
  });
  if (document === undefined) return undefined;
  return new ApiGatewayRestApiPolicy(scope, 'access-policy', {
    restApiId: api.id,
    policy: JSON.stringify(document),
  });
}
