import { expect } from 'chai';
import { FORK_MESSAGE } from '../../.github/scripts/lib/fork-summary';
import type { Delivery } from './harness/delivery-world';
import { describeRun, jobOf, stepOf, type WorkflowRun } from './harness/run-records';
import { useDelivery } from './harness/shared-delivery';

/**
 * Scenario (b): a pull request from a fork (mallory/item-api). GitHub runs plan.yml from the merge
 * commit, so the fork's own version of the workflow runs; it gets no variables, no secrets, a
 * read-only token and no OIDC token. The unchanged workflow takes the fork path (validate offline,
 * say so in the job summary). A fork that rewrites plan.yml to run the plan job anyway still gets
 * no credentials.
 */
describe('plan.yml, pull request from a fork (scenario b)', function () {
  this.timeout(1_800_000);
  let delivery: Delivery;
  let fork: WorkflowRun;
  let rewritten: WorkflowRun;

  before(async function () {
    delivery = await useDelivery(this);
    const { world } = delivery;
    fork = await world.run(
      'plan.yml',
      world.pullRequest({
        number: 21,
        branch: 'typo',
        fork: true,
        changes: { 'README.md': (t) => `${t}\nFrom a fork.\n` },
      }),
    );
    // The plan job made to run for a fork; the fork job, already covered above, left out.
    const planJobAlways = (text: string) =>
      text
        .replace('if: github.event.pull_request.head.repo.full_name == github.repository', 'if: true')
        .replace('if: github.event.pull_request.head.repo.full_name != github.repository', 'if: false');
    rewritten = await world.run(
      'plan.yml',
      world.pullRequest({
        number: 22,
        branch: 'grab',
        fork: true,
        changes: { '.github/workflows/plan.yml': planJobAlways },
      }),
    );
  });

  it('takes the fork path: synth and an offline validate of every stack, no plan job', () => {
    expect(jobOf(fork, 'plan').result).to.equal('skipped');
    const job = jobOf(fork, 'fork-validate');
    expect(job.result, describeRun(fork)).to.equal('success');
    const validate = stepOf(job, 'Validate every stack offline');
    for (const stack of ['bootstrap', 'dev', 'prod']) {
      expect(validate.log).to.include(`::group::terraform validate cdktf.out/stacks/${stack}/`);
    }
    expect(validate.log.match(/Success! The configuration is valid/g)).to.have.lengthOf(3);
  });

  it('says in the job summary that nothing was planned, and comments nothing', () => {
    const job = jobOf(fork, 'fork-validate');
    expect(job.summary).to.include(FORK_MESSAGE);
    for (const stack of ['bootstrap', 'dev', 'prod'])
      expect(job.summary).to.include(`\`${stack}\`: synthesized and validated offline, **not planned**`);
    expect(delivery.world.settings.commentsOn(21)).to.deep.equal([]);
  });

  it('gets no OIDC token, no variables and a read-only token', () => {
    const job = jobOf(fork, 'fork-validate');
    expect(delivery.world.oidc.issued.filter((c) => c.run_id === String(fork.runId))).to.deep.equal([]);
    expect(job.permissions?.contents).to.equal('read');
    expect(Object.values(job.permissions ?? {}).includes('write')).to.equal(false);
  });

  it('a fork that rewrites plan.yml to run the plan job still gets no credentials', () => {
    const job = jobOf(rewritten, 'plan');
    expect(job.result, describeRun(rewritten)).to.equal('failure');
    expect(job.permissions).to.include({ 'id-token': 'none', 'pull-requests': 'read' });
    const credentials = stepOf(job, /configure-aws-credentials/);
    // No variables either: the region input is empty before the role is even looked at.
    expect(credentials.log).to.include('Input required and not supplied: aws-region');
    expect(credentials.env).not.to.have.property('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
    expect(stepOf(job, /npm run plan/).conclusion).to.equal('skipped');
    expect(delivery.trust.filter((t) => t.claims?.run_id === String(rewritten.runId))).to.deep.equal([]);
  });
});
