import { expect } from 'chai';
import type { Delivery } from './harness/delivery-world';
import { describeRun, jobOf, stepOf, type WorkflowRun } from './harness/run-records';
import { useDelivery } from './harness/shared-delivery';

/**
 * Scenario (f): a pull request whose configuration is invalid (a log retention CloudWatch does not
 * accept) fails plan.yml at `npm run synth`. As on GitHub, the job stops there: no credentials, no
 * plan, no comment; only the `if: always()` upload of the plans still runs.
 */
const PR = 31;

describe('plan.yml, a failing step (scenario f)', function () {
  this.timeout(900_000);
  let delivery: Delivery;
  let run: WorkflowRun;

  before(async function () {
    delivery = await useDelivery(this);
    const { world } = delivery;
    run = await world.run(
      'plan.yml',
      world.pullRequest({
        number: PR,
        branch: 'config/bad-retention',
        changes: {
          'infra/config.ts': (text) => text.replace('logRetentionDays: 14,', 'logRetentionDays: 13,'),
        },
      }),
    );
  });

  it('fails the job at the failing step, and skips every later step without always()', () => {
    const job = jobOf(run, 'plan');
    expect(job.result, describeRun(run)).to.equal('failure');
    const synth = stepOf(job, 'Run npm run synth');
    expect(synth.outcome).to.equal('failure');
    expect(synth.log).to.include('logRetentionDays');
    const after = job.steps.slice(job.steps.indexOf(synth) + 1);
    expect(after.map((s) => [s.name.replace(/@[0-9a-f]{40}$/, ''), s.conclusion])).to.deep.equal([
      ['Run aws-actions/configure-aws-credentials', 'skipped'],
      ['Run npm run plan -- --no-lock', 'skipped'],
      ['Comment the plans and fill the job summary', 'skipped'],
      ['Run actions/upload-artifact', 'success'],
    ]);
    expect(after[3]?.log).to.include('No files were found');
  });

  it('asks for no OIDC token, comments nothing and sets no has-changes', () => {
    expect(delivery.world.oidc.issued.filter((c) => c.run_id === String(run.runId))).to.deep.equal([]);
    expect(delivery.world.settings.commentsOn(PR)).to.deep.equal([]);
    expect(jobOf(run, 'plan').outputs).to.deep.equal({ 'has-changes': '' });
  });
});
