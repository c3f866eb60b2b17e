import { expect } from 'chai';
import { type Delivery, PROD_REVIEWER } from './harness/delivery-world';
import { deployRoleArn } from './harness/emulated-account';
import type { ReviewRequest } from './harness/environment-gate';
import { describeRun, jobOf, type WorkflowRun } from './harness/run-records';
import { expectDeployed } from './harness/scenario-checks';
import { useDelivery } from './harness/shared-delivery';

/**
 * Scenario (d): publishing a release runs deploy.yml's `prod` job, which waits for the `prod`
 * Environment's required reviewer before it gets a runner, a token or AWS credentials. The
 * reviewer answers through the REST API stand-in, as GitHub's UI does.
 */
describe('deploy.yml, a published release deploys prod after review (scenario d)', function () {
  this.timeout(1_800_000);
  let delivery: Delivery;
  let approved: WorkflowRun;
  let rejected: WorkflowRun;
  const seen: { request: ReviewRequest; tokensSoFar: number; stranger: string | undefined }[] = [];

  const reviewAs = (login: string, state: 'approved' | 'rejected') => async (request: ReviewRequest) => {
    const { world } = delivery;
    seen.push({
      request,
      tokensSoFar: world.oidc.issued.filter((claims) => claims.run_id === String(request.runId)).length,
      stranger: world.review('mallory', request.runId, request.environment, 'approved'),
    });
    expect(world.review(login, request.runId, request.environment, state)).to.equal(undefined);
  };

  before(async function () {
    delivery = await useDelivery(this);
    const { world } = delivery;
    world.onReviewRequested = reviewAs(PROD_REVIEWER, 'approved');
    approved = await world.run('deploy.yml', world.release('v1.0.0'));
    world.onReviewRequested = reviewAs(PROD_REVIEWER, 'rejected');
    rejected = await world.run('deploy.yml', world.release('v1.0.1'));
    world.onReviewRequested = undefined;
  });

  it('holds the prod job for review before it has a runner or an OIDC token; a non-reviewer cannot approve', () => {
    const refusal = 'mallory is not a required reviewer of prod';
    expect(
      seen.map((s) => [s.request.jobKey, s.request.environment, s.tokensSoFar, s.stranger]),
    ).to.deep.equal([
      ['prod / deploy', 'prod', 0, refusal],
      ['prod / deploy', 'prod', 0, refusal],
    ]);
  });

  it('deploys prod with the prod role once the reviewer approves, and not dev', async () => {
    const job = jobOf(approved, 'prod / deploy');
    expect(job.reason, describeRun(approved)).to.equal(`approved by ${PROD_REVIEWER}`);
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
      reason: `The deployment to prod was rejected by ${PROD_REVIEWER}`,
    });
    expect(job.steps).to.deep.equal([]);
    expect(delivery.world.oidc.issued.filter((c) => c.run_id === String(rejected.runId))).to.deep.equal([]);
  });
});
