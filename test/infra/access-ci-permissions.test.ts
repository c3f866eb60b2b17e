import { expect } from 'chai';
import type { ApiAccess } from '#shared/access';
import { bootstrapPropsFromEnv, resolveBootstrapProps } from '../../infra/bootstrap/bootstrap-config';
import { deployRoleStatements, planRoleStatements } from '../../infra/bootstrap/ci-permissions';
import type { PolicyContext } from '../../infra/bootstrap/ci-resource-arns';
import { synthBootstrap } from './synth';

/**
 * Usage plans and API keys have generated ids, so a grant on them reaches every key of the region,
 * values included (`GET /apikeys/<id>?includeValue=true` is an `apigateway:GET`). The CI roles get
 * it only for environments that use API keys, built per environment like every other row: the plan
 * role once any environment does, a deploy role only when its own environment does.
 */
const context = (
  uses: { apiKeyEnvironments?: string[]; resourcePolicyEnvironments?: string[] } = {},
  environments = ['dev', 'prod'],
): PolicyContext => ({
  partition: 'aws',
  regions: ['us-east-1', 'eu-west-1'],
  hostedZoneIds: [],
  accountId: '123456789012',
  namePrefix: 'item-api',
  environments,
  stateBucketArn: 'arn:aws:s3:::acme-tfstate',
  oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  ...uses,
});
/** A deploy role's context: the bootstrap builds one per environment from the full one. */
const deployOf = (full: PolicyContext, environment: string) =>
  deployRoleStatements({ ...full, environments: [environment] });
const KEY_PATHS = /::\/(usageplans|apikeys)/;
const reaching = (statements: ReturnType<typeof planRoleStatements>) =>
  statements.filter((st) => (st.resources ?? []).some((r) => KEY_PATHS.test(r)));
const setsPolicy = (statements: ReturnType<typeof planRoleStatements>) =>
  statements.filter((st) => st.actions?.includes('apigateway:UpdateRestApiPolicy')).map((st) => st.sid);

describe('CI roles and the access modes, per environment', () => {
  it('reach no usage plan or key while no environment uses API keys', () => {
    expect(reaching(planRoleStatements(context()))).to.deep.equal([]);
    for (const env of ['dev', 'prod']) expect(reaching(deployOf(context(), env))).to.deep.equal([]);
    const synthesized = synthBootstrap(
      bootstrapPropsFromEnv({ GITHUB_OWNER: 'acme', GITHUB_REPO: 'item-api' }),
    );
    expect(synthesized.json).not.to.match(KEY_PATHS);
  });

  it('let the plan role read them, and only the deploy role of an environment with keys manage them', () => {
    const full = context({ apiKeyEnvironments: ['dev'] });
    const plans = reaching(planRoleStatements(full));
    expect(plans.map((st) => [st.sid, st.actions])).to.deep.equal([['ApiGatewayRead', ['apigateway:GET']]]);
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const path of ['usageplans', 'usageplans/*', 'apikeys', 'apikeys/*']) {
        expect(plans[0]?.resources).to.include(`arn:aws:apigateway:${region}::/${path}`);
      }
    }
    const dev = reaching(deployOf(full, 'dev'));
    expect(dev.flatMap((st) => st.actions)).to.include.members(['apigateway:POST', 'apigateway:DELETE']);
    expect(reaching(deployOf(full, 'prod')), "prod's deploy role").to.deep.equal([]);
  });

  it("deny dev's deploy role the usage plans and keys another stack tagged as its own", () => {
    const denied = deployOf(context({ apiKeyEnvironments: ['dev'] }), 'dev').filter(
      (st) => st.effect === 'Deny' && st.sid?.startsWith('ApiGateway'),
    );
    expect(denied.map((st) => st.sid)).to.deep.equal(['ApiGatewayOfOtherStacks', 'ApiGatewayTaggedForOtherStacks']); // biome-ignore format: long line
    for (const st of denied) {
      expect(st.resources).to.include('arn:aws:apigateway:us-east-1::/usageplans/*');
      expect(st.resources).to.include('arn:aws:apigateway:us-east-1::/apikeys/*');
    }
  });

  it('keep the WAF row off them: associating a web ACL never touches a key', () => {
    const waf = deployOf(context({ apiKeyEnvironments: ['dev'] }), 'dev').filter((st) =>
      st.sid?.startsWith('Wafv2'),
    );
    expect(waf.length).to.be.greaterThan(0);
    expect(reaching(waf)).to.deep.equal([]);
  });

  it("let a deploy role set a resource policy (apigateway:UpdateRestApiPolicy) only for an environment that has one, and never another stack's", () => {
    // biome-ignore format: long title
    expect(setsPolicy(deployOf(context(), 'dev'))).to.deep.equal([]);
    const full = context({ resourcePolicyEnvironments: ['prod'] });
    expect(setsPolicy(deployOf(full, 'dev'))).to.deep.equal([]);
    expect(setsPolicy(deployOf(full, 'prod'))).to.deep.equal([
      'ApiGateway',
      'ApiGatewayOfOtherStacks',
      'ApiGatewayTaggedForOtherStacks',
    ]);
    expect(setsPolicy(planRoleStatements(full))).to.deep.equal([]);
  });

  it('follow infra/config.ts: each environment by its own access setting', () => {
    const env = (name: string, access?: ApiAccess) => ({ name, region: 'us-east-1', api: { access } });
    const props = bootstrapPropsFromEnv({}, [
      env('dev', { mode: 'api-key', plans: {} }),
      env('stage', { mode: 'public', network: { sourceCidrs: ['10.0.0.0/8'] } }),
      env('prod', { mode: 'iam', callers: { accounts: ['123456789012'] } }),
      env('test', { mode: 'public' }),
      env('demo'),
    ]);
    expect(props.apiKeyEnvironments).to.deep.equal(['dev']);
    expect(props.resourcePolicyEnvironments).to.deep.equal(['stage', 'prod']);
  });

  it('refuses an environment the bootstrap does not serve', () => {
    const props = bootstrapPropsFromEnv({ GITHUB_OWNER: 'acme', GITHUB_REPO: 'item-api' });
    expect(() => resolveBootstrapProps({ ...props, apiKeyEnvironments: ['qa'] })).to.throw(
      'bootstrap.apiKeyEnvironments[0] "qa" is not one of environments',
    );
  });
});
