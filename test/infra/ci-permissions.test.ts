import { expect } from 'chai';
import { bootstrapPropsFromEnv } from '../../infra/bootstrap/bootstrap-config';
import { deployRoleStatements, planRoleStatements } from '../../infra/bootstrap/ci-permissions';
import type { PolicyContext } from '../../infra/bootstrap/ci-resource-arns';
import { serviceAccess } from '../../infra/bootstrap/ci-service-access';
import { documentOf as document, evaluate } from '../deploy/iam-evaluator';

/** IAM counts a role's inline policies together, without whitespace. */
const INLINE_POLICY_LIMIT = 10_240;

/** The shipped configuration's context, with real-length ARNs (a 63-character bucket name). */
function context(regions: readonly string[]): PolicyContext {
  const props = bootstrapPropsFromEnv({ GITHUB_OWNER: 'acme', GITHUB_REPO: 'item-api' });
  return {
    partition: 'aws',
    regions,
    hostedZoneIds: ['Z0123456789ABCDEFGHIJ'],
    accountId: '123456789012',
    namePrefix: props.namePrefix ?? 'item-api',
    environments: props.environments ?? [],
    stateBucketArn: `arn:aws:s3:::${'b'.repeat(63)}`,
    oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  };
}

describe('CI role permissions, one row per service', () => {
  const shipped = context(bootstrapPropsFromEnv({}).environmentRegions ?? []);

  it("give the plan role no read of an environment that the environment's deploy role lacks", () => {
    const environments = shipped.environments;
    const deploy = Object.fromEntries(
      environments.map((env) => [env, document(deployRoleStatements({ ...shipped, environments: [env] }))]),
    );
    const bootstrapOwn = new Set(serviceAccess(shipped).flatMap((row) => row.alsoRead ?? []));
    const reads = planRoleStatements(shipped).flatMap((s) =>
      (s.actions ?? []).flatMap((action) =>
        (s.resources ?? []).filter((r) => !bootstrapOwn.has(r)).map((resource) => ({ action, resource })),
      ),
    );
    expect(reads.length).to.be.greaterThan(50);
    // A read of an environment's resource must be its deploy role's too; an unscoped one, every role's.
    const owner = (resource: string) =>
      environments.find((env) => new RegExp(`item-api[-/]${env}(\\b|[-.*])`).test(resource));
    const missing = reads.flatMap((read) => {
      const env = owner(read.resource);
      return (env ? [env] : environments)
        .filter((e) => evaluate([deploy[e] as ReturnType<typeof document>], read) !== 'allowed')
        .map((e) => `${e}: ${read.action} on ${read.resource}`);
    });
    expect(missing).to.deep.equal([]);
    expect(
      reads.filter((read) => owner(read.resource) === 'prod').length,
      'prod reads were attributed',
    ).to.be.above(10);
  });

  it('give the plan role no write at all', () => {
    const writes = planRoleStatements(shipped)
      .flatMap((s) => s.actions ?? [])
      .filter((action) =>
        /:(Put|Delete|Create|Update|Change|Tag|Untag|Attach|Pass|Associate|Subscribe)|apigateway:(POST|PUT|PATCH|DELETE)/.test(
          action,
        ),
      );
    expect(writes).to.deep.equal([]);
  });

  it('say why each row reaches what it reaches', () => {
    for (const row of serviceAccess(shipped)) expect(row.why, row.sid).to.have.length.greaterThan(10);
  });

  for (const [title, regions] of [
    ['the configured regions', shipped.regions],
    ['one region more than configured', [...shipped.regions, 'eu-central-1']],
  ] as const) {
    it(`fit IAM's ${INLINE_POLICY_LIMIT}-character inline policy limit for ${title}`, () => {
      for (const [role, statements] of [
        ['plan', planRoleStatements(context(regions))],
        ['deploy (dev)', deployRoleStatements({ ...context(regions), environments: ['dev'] })],
        ['shared deploy, while migrating', deployRoleStatements(context(regions))],
      ] as const) {
        const size = JSON.stringify({ Version: '2012-10-17', ...document(statements) }).length;
        expect(size, `${role} role, ${regions.length} region(s)`).to.be.below(INLINE_POLICY_LIMIT);
      }
    });
  }
});
