import { expect } from 'chai';
import type { Delivery } from './harness/delivery-world';
import { deployRoleArn } from './harness/emulated-account';
import type { ReviewRequest } from './harness/environment-gate';
import { describeRun, jobOf, type WorkflowRun } from './harness/run-records';
import { expectDeployed } from './harness/scenario-checks';
import { useDelivery } from './harness/shared-delivery';

/**
 * Scenario (d): publishing a release runs deploy.yml's `prod` job, which waits for one of the `prod`
 * Environment's required reviewers before it gets a runner, a token or AWS credentials. rita
 * publishes the first release, so she cannot approve it (self-review is prevented) and sam does;
 * octocat publishes the second and rita rejects it.
 */
describe('deploy.yml, a published release deploys prod after review (scenario d)', function () {
  this.timeout(1_800_000);
  let delivery: Delivery;
  let approved: WorkflowRun;
  let rejected: WorkflowRun;
  const seen: {
    request: ReviewRequest;
    tokensSoFar: number;
    stranger: string | undefined;
    publisher: string | undefined;
  }[] = [];

  /** The reviewer's answer, after mallory (no reviewer) and the release's publisher try to approve it. */
  const reviewAs =
    (login: string, state: 'approved' | 'rejected', publisher: string) => async (request: ReviewRequest) => {
      const { world } = delivery;
      seen.push({
        request,
        tokensSoFar: world.oidc.issued.filter((claims) => claims.run_id === String(request.runId)).length,
        stranger: world.review('mallory', request.runId, request.environment, 'approved'),
        publisher: world.review(publisher, request.runId, request.environment, 'approved'),
      });
      expect(world.review(login, request.runId, request.environment, state)).to.equal(undefined);
    };

  before(async function () {
    delivery = await useDelivery(this);
    const { world } = delivery;
    world.onReviewRequested = reviewAs('sam', 'approved', 'rita');
    approved = await world.run('deploy.yml', world.release('v1.0.0', 'rita'));
    world.onReviewRequested = reviewAs('rita', 'rejected', 'octocat');
    rejected = await world.run('deploy.yml', world.release('v1.0.1', 'octocat'));
    world.onReviewRequested = undefined;
  });

  it('holds the prod job for review before it has a runner or an OIDC token; only another reviewer may answer', () => {
    expect(
      seen.map((s) => [s.request.jobKey, s.request.environment, s.tokensSoFar, s.stranger, s.publisher]),
    ).to.deep.equal([
      [
        'prod / deploy',
        'prod',
        0,
        'mallory is not a required reviewer of prod',
        'rita triggered this run and prod prevents self-review',
      ],
      [
        'prod / deploy',
        'prod',
        0,
        'mallory is not a required reviewer of prod',
        'octocat is not a required reviewer of prod',
      ],
    ]);
  });

  it('deploys prod with the prod role once the reviewer approves, and not dev', async () => {
    const job = jobOf(approved, 'prod / deploy');
    expect(job.reason, describeRun(approved)).to.equal('approved by sam');
    expect(jobOf(approved, 'dev').result).to.equal('skipped');
    await expectDeployed(delivery, approved, 'prod');
    const judged = delivery.trust.filter((t) => t.claims?.run_id === String(approved.runId));
    expect(judged.map((t) => [t.roleArn, t.claims?.sub, t.claims?.ref, t.allowed])).to.deep.equal([
      [
        deployRoleArn(delivery.account.bootstrapOutputs, 'prod'),
        'repo:acme/item-api:environment:prod',
        'refs/tags/v1.0.0',
        true,
      ],
    ]);
  });

  it('a rejected release runs nothing: no steps, no token', () => {
    const job = jobOf(rejected, 'prod / deploy');
    expect(job).to.include({
      result: 'failure',
      reason: 'The deployment to prod was rejected by rita',
    });
    expect(job.steps).to.deep.equal([]);
    expect(delivery.world.oidc.issued.filter((c) => c.run_id === String(rejected.runId))).to.deep.equal([]);
  });
});
