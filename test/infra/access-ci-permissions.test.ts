import { expect } from 'chai';
import type { ApiAccess } from '#shared/access';
import { bootstrapPropsFromEnv } from '../../infra/bootstrap/bootstrap-config';
import { deployRoleStatements, planRoleStatements } from '../../infra/bootstrap/ci-permissions';
import type { PolicyContext } from '../../infra/bootstrap/ci-resource-arns';
import { synthBootstrap } from './synth';

/**
 * Usage plans and API keys have generated ids, so a grant on them reaches every key of the region,
 * values included (`GET /apikeys/<id>?includeValue=true` is an `apigateway:GET`). The CI roles get
 * it only when an environment uses API keys.
 */
const context = (apiKeys: boolean, resourcePolicies = false): PolicyContext => ({
  partition: 'aws',
  regions: ['us-east-1', 'eu-west-1'],
  hostedZoneIds: [],
  accountId: '123456789012',
  namePrefix: 'item-api',
  environments: ['dev', 'prod'],
  stateBucketArn: 'arn:aws:s3:::acme-tfstate',
  oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  apiKeys,
  resourcePolicies,
});
const KEY_PATHS = /::\/(usageplans|apikeys)/;
const reaching = (statements: ReturnType<typeof planRoleStatements>) =>
  statements.filter((st) => (st.resources ?? []).some((r) => KEY_PATHS.test(r)));

describe('CI roles and API keys', () => {
  it('reach no usage plan or key while no environment uses API keys', () => {
    expect(reaching(planRoleStatements(context(false)))).to.deep.equal([]);
    expect(reaching(deployRoleStatements(context(false)))).to.deep.equal([]);
    const synthesized = synthBootstrap(
      bootstrapPropsFromEnv({ GITHUB_OWNER: 'acme', GITHUB_REPO: 'item-api' }),
    );
    expect(synthesized.json).not.to.match(KEY_PATHS);
  });

  it('let the plan role read and the deploy role manage them in every region once one does', () => {
    const plans = reaching(planRoleStatements(context(true)));
    expect(plans.map((st) => [st.sid, st.actions])).to.deep.equal([['ApiGatewayRead', ['apigateway:GET']]]);
    const deploys = reaching(deployRoleStatements(context(true)));
    expect(deploys.flatMap((st) => st.actions)).to.include.members(['apigateway:POST', 'apigateway:DELETE']);
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const path of ['usageplans', 'usageplans/*', 'apikeys', 'apikeys/*']) {
        expect(plans[0]?.resources).to.include(`arn:aws:apigateway:${region}::/${path}`);
      }
    }
  });

  it('keep the WAF row off them: associating a web ACL never touches a key', () => {
    const waf = deployRoleStatements(context(true)).filter((st) => st.sid?.startsWith('Wafv2'));
    expect(waf.length).to.be.greaterThan(0);
    expect(reaching(waf)).to.deep.equal([]);
  });

  it('let the deploy role set a resource policy (apigateway:UpdateRestApiPolicy) only when an environment has one', () => {
    const sets = (statements: ReturnType<typeof planRoleStatements>) =>
      statements.filter((st) => st.actions?.includes('apigateway:UpdateRestApiPolicy')).map((st) => st.sid);
    expect(sets(deployRoleStatements(context(false)))).to.deep.equal([]);
    expect(sets(deployRoleStatements(context(false, true)))).to.deep.equal(['ApiGatewayManage']);
    expect(sets(planRoleStatements(context(true, true)))).to.deep.equal([]);
    const env = (access?: ApiAccess) => [{ name: 'dev', region: 'us-east-1', api: { access } }];
    expect(bootstrapPropsFromEnv({}, env({ mode: 'public' })).resourcePolicies).to.equal(false);
    expect(
      bootstrapPropsFromEnv({}, env({ mode: 'public', network: { sourceCidrs: ['10.0.0.0/8'] } }))
        .resourcePolicies,
    ).to.equal(true);
    expect(
      bootstrapPropsFromEnv({}, env({ mode: 'iam', callers: { accounts: ['123456789012'] } }))
        .resourcePolicies,
    ).to.equal(true);
  });

  it('follow infra/config.ts: any environment in api-key mode turns the grant on', () => {
    const env = (name: string, access?: ApiAccess) => ({ name, region: 'us-east-1', api: { access } });
    const keys: ApiAccess = { mode: 'api-key', plans: {} };
    expect(bootstrapPropsFromEnv({}, [env('dev'), env('prod', { mode: 'public' })]).apiKeys).to.equal(false);
    expect(bootstrapPropsFromEnv({}, [env('dev'), env('prod', keys)]).apiKeys).to.equal(true);
  });
});
