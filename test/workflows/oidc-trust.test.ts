import { expect } from 'chai';
import { environmentSubject, githubTrust, pullRequestSubject } from '../../infra/bootstrap/trust';
import { evaluateTrust, type PolicyDocument } from '../deploy/iam-evaluator';
import { pullRequestEvent, pushEvent, releaseEvent, type TriggeredEvent } from './harness/events';
import { claimsFor, type JobIdentity, subjectClaim } from './harness/oidc-issuer';
import { webIdentityContext } from './harness/web-identity-trust';
import { FORK, REPOSITORY } from './harness/workflow-world';

/**
 * The OIDC claims the harness issues, and the trust evaluation that judges them, without AWS: the
 * subject GitHub builds for each kind of job, and the bootstrap's own trust statements
 * (infra/bootstrap/trust.ts) rendered as IAM renders them, against tokens that should and should
 * not get each role.
 */
const sha = 'a'.repeat(40);
const pr = pullRequestEvent({
  repository: REPOSITORY,
  number: 7,
  action: 'opened',
  headRepository: REPOSITORY,
  headBranch: 'feature',
  headSha: sha,
  baseBranch: 'main',
  baseSha: sha,
  mergeSha: sha,
  actor: 'octocat',
});
const push = (branch: string) =>
  pushEvent({ repository: REPOSITORY, branch, before: sha, after: sha, actor: 'octocat' });
const identity = (event: TriggeredEvent, environment?: string, repository = REPOSITORY): JobIdentity => ({
  repository,
  event,
  runId: 1,
  workflowRef: `acme/item-api/.github/workflows/x.yml@${event.ref}`,
  workflowName: 'x',
  jobWorkflowRef: `acme/item-api/.github/workflows/x.yml@${event.ref}`,
  environment,
});

type Rendered = { test: string; variable: string; values: string[] };

/** What aws_iam_policy_document renders from the bootstrap's trust statements (conditions grouped by operator). */
function renderedTrust(subjects: string[]): PolicyDocument {
  const providerArn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  return {
    Statement: githubTrust(providerArn, subjects).map((statement) => {
      const condition: Record<string, Record<string, string[]>> = {};
      for (const { test, variable, values } of statement.condition as Rendered[]) {
        condition[test] = { ...condition[test], [variable]: values };
      }
      return {
        Sid: statement.sid,
        Effect: 'Allow' as const,
        Action: statement.actions,
        Principal: { Federated: providerArn },
        Condition: condition,
      };
    }),
  };
}

const provider = {
  type: 'Federated',
  id: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
};
const judge = (
  trust: PolicyDocument,
  job: JobIdentity,
  audience = 'sts.amazonaws.com',
  principal = provider,
) =>
  evaluateTrust(trust, {
    principal,
    action: 'sts:AssumeRoleWithWebIdentity',
    context: webIdentityContext(claimsFor(job, audience)),
  });

describe('OIDC claims and trust, as GitHub issues and AWS judges them', () => {
  const cases: [string, JobIdentity, string][] = [
    ['a pull-request job', identity(pr), 'repo:acme/item-api:pull_request'],
    [
      'a job naming an environment, even on a pull request',
      identity(pr, 'dev'),
      'repo:acme/item-api:environment:dev',
    ],
    ['a push job', identity(push('main')), 'repo:acme/item-api:ref:refs/heads/main'],
    [
      'a release job',
      identity(releaseEvent({ repository: REPOSITORY, tag: 'v1', sha, targetBranch: 'main', actor: 'o' })),
      'repo:acme/item-api:ref:refs/tags/v1',
    ],
    [
      'an environment name with a colon',
      identity(push('main'), 'prod:eu'),
      'repo:acme/item-api:environment:prod%3Aeu',
    ],
  ];
  for (const [what, job, subject] of cases) {
    it(`sub for ${what}: ${subject}`, () => expect(subjectClaim(job)).to.equal(subject));
  }

  it('carries the claims a trust policy may test, and environment only for an environment job', () => {
    const claims = claimsFor(identity(push('main'), 'dev'), 'sts.amazonaws.com');
    expect(claims).to.include({
      aud: 'sts.amazonaws.com',
      ref: 'refs/heads/main',
      environment: 'dev',
      repository: 'acme/item-api',
      repository_owner: 'acme',
      event_name: 'push',
      job_workflow_ref: 'acme/item-api/.github/workflows/x.yml@refs/heads/main',
    });
    expect(claimsFor(identity(pr), 'sts.amazonaws.com')).not.to.have.property('environment');
  });

  const planTrust = renderedTrust([pullRequestSubject('acme', 'item-api')]);
  const devTrust = renderedTrust([environmentSubject('acme', 'item-api', 'dev')]);

  it("the plan role's trust admits a pull-request job of this repository, and nothing else", () => {
    expect(judge(planTrust, identity(pr))).to.equal('allowed');
    expect(judge(planTrust, identity(push('main')))).to.equal('implicitly denied');
    expect(judge(planTrust, identity(pr, 'dev'))).to.equal('implicitly denied');
    expect(judge(planTrust, identity(pr, undefined, FORK))).to.equal('implicitly denied');
    expect(judge(planTrust, identity(pr), 'https://github.com/acme')).to.equal('implicitly denied');
    expect(
      judge(planTrust, identity(pr), 'sts.amazonaws.com', {
        type: 'Federated',
        id: 'arn:aws:iam::1:oidc-provider/other',
      }),
    ).to.equal('implicitly denied');
  });

  it("an environment role's trust admits any job naming that environment, from any branch, and no other", () => {
    expect(judge(devTrust, identity(push('feature/x'), 'dev'))).to.equal('allowed');
    expect(judge(devTrust, identity(push('main'), 'prod'))).to.equal('implicitly denied');
    expect(judge(devTrust, identity(push('main')))).to.equal('implicitly denied');
  });

  it('honours an explicit Deny and negated operators, which hold when the key is absent', () => {
    const deny: PolicyDocument = {
      Statement: [
        ...(devTrust.Statement as PolicyDocument['Statement'][]).flat(),
        {
          Effect: 'Deny',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: '*',
          Condition: { StringNotEquals: { 'token.actions.githubusercontent.com:ref': 'refs/heads/main' } },
        },
      ] as PolicyDocument['Statement'],
    };
    expect(judge(deny, identity(push('feature/x'), 'dev'))).to.equal('explicitly denied');
    expect(judge(deny, identity(push('main'), 'dev'))).to.equal('allowed');
  });
});
