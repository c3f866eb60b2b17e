import { expect } from 'chai';
import { bootstrapPropsFromEnv } from '../../infra/bootstrap/bootstrap-config';
import { deployRoleStatements, planRoleStatements } from '../../infra/bootstrap/ci-permissions';
import type { PolicyContext } from '../../infra/bootstrap/ci-resource-arns';
import { serviceAccess } from '../../infra/bootstrap/ci-service-access';
import { evaluate, type PolicyDocument } from '../deploy/iam-evaluator';

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

/** The document the data source renders, in IAM's own keys. */
function document(statements: ReturnType<typeof planRoleStatements>): PolicyDocument {
  return {
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: s.effect as 'Allow' | 'Deny',
      Action: s.actions ?? [],
      Resource: s.resources ?? [],
      ...(Array.isArray(s.condition) && {
        Condition: Object.fromEntries(
          (s.condition as { test: string; variable: string; values: string[] }[]).map((c) => [
            c.test,
            { [c.variable]: c.values },
          ]),
        ),
      }),
    })),
  };
}

describe('CI role permissions, one row per service', () => {
  const shipped = context(bootstrapPropsFromEnv({}).environmentRegions ?? []);

  it('give the plan role nothing the deploy role lacks', () => {
    const deploy = document(deployRoleStatements(shipped));
    const reads = planRoleStatements(shipped).flatMap((s) =>
      (s.actions ?? []).flatMap((action) => (s.resources ?? []).map((resource) => ({ action, resource }))),
    );
    expect(reads.length).to.be.greaterThan(50);
    expect(reads.filter((read) => evaluate([deploy], read) !== 'allowed')).to.deep.equal([]);
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
        ['deploy', deployRoleStatements(context(regions))],
      ] as const) {
        const size = JSON.stringify({ Version: '2012-10-17', ...document(statements) }).length;
        expect(size, `${role} role, ${regions.length} region(s)`).to.be.below(INLINE_POLICY_LIMIT);
      }
    });
  }
});
