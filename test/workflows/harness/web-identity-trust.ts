import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  type IAMClient,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import { evaluateTrust, type PolicyDocument } from '../../deploy/iam-evaluator';
import type { TrustDecision } from './actions/action-stand-in';
import type { OidcClaims } from './oidc-issuer';

/**
 * What AWS STS checks in AssumeRoleWithWebIdentity and moto does not: the token is signed by the
 * issuer and unexpired; the account has an OIDC provider for the issuer whose client ids include
 * the token's `aud`; the role exists and its trust policy, as deployed on moto, allows the
 * provider to assume it under the token's claims. The claims reach the conditions as
 * `token.actions.githubusercontent.com:<claim>` for the claims STS exposes: `sub`, `aud` and, since
 * February 2026, GitHub's `actor`, `actor_id`, `job_workflow_ref`, `repository`,
 * `repository_id`, `workflow`, `ref`, `environment` and `enterprise_id`. The policy is judged by
 * test/deploy/iam-evaluator.ts.
 */
export const STS_CONDITION_CLAIMS = [
  'sub',
  'aud',
  'actor',
  'actor_id',
  'job_workflow_ref',
  'repository',
  'repository_id',
  'workflow',
  'ref',
  'environment',
  'enterprise_id',
] as const;

export interface TrustRecord extends TrustDecision {
  readonly roleArn: string;
  readonly claims?: OidcClaims;
}

export function webIdentityContext(claims: OidcClaims): Record<string, string> {
  const host = new URL(claims.iss).host;
  const values = claims as unknown as Record<string, unknown>;
  return Object.fromEntries(
    STS_CONDITION_CLAIMS.filter((claim) => typeof values[claim] === 'string').map((claim) => [
      `${host}:${claim}`,
      values[claim] as string,
    ]),
  );
}

export function webIdentityTrust(options: {
  iam: IAMClient;
  accountId: string;
  verify: (token: string) => OidcClaims | undefined;
  record: TrustRecord[];
}) {
  return async (roleArn: string, token: string): Promise<TrustDecision> => {
    const decide = (allowed: boolean, reason: string, claims?: OidcClaims) => {
      options.record.push({ roleArn, claims, allowed, reason });
      return { allowed, reason };
    };
    const claims = options.verify(token);
    if (claims === undefined)
      return decide(false, 'InvalidIdentityToken: the token is not one the issuer signed');
    const host = new URL(claims.iss).host;
    const { OpenIDConnectProviderList = [] } = await options.iam.send(
      new ListOpenIDConnectProvidersCommand({}),
    );
    const providerArn = OpenIDConnectProviderList.map((p) => p.Arn ?? '').find((arn) =>
      arn.endsWith(`/${host}`),
    );
    if (providerArn === undefined)
      return decide(false, `no OpenID Connect provider for ${claims.iss}`, claims);
    const provider = await options.iam.send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: providerArn }),
    );
    if (!(provider.ClientIDList ?? []).includes(claims.aud)) {
      return decide(false, `InvalidIdentityToken: incorrect token audience ${claims.aud}`, claims);
    }
    const [, , , , account, resource] = roleArn.split(':');
    const roleName = resource?.startsWith('role/') ? resource.split('/').pop() : undefined;
    if (account !== options.accountId || roleName === undefined) {
      return decide(false, `AccessDenied: ${roleArn} is not a role of account ${options.accountId}`, claims);
    }
    const role = await options.iam.send(new GetRoleCommand({ RoleName: roleName })).catch(() => undefined);
    if (role?.Role?.AssumeRolePolicyDocument === undefined)
      return decide(false, `AccessDenied: no role ${roleName}`, claims);
    const trust = JSON.parse(decodeURIComponent(role.Role.AssumeRolePolicyDocument)) as PolicyDocument;
    const decision = evaluateTrust(trust, {
      principal: { type: 'Federated', id: providerArn },
      action: 'sts:AssumeRoleWithWebIdentity',
      context: webIdentityContext(claims),
    });
    return decide(decision === 'allowed', `${decision} for sub ${claims.sub}`, claims);
  };
}
