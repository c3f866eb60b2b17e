import { expect } from 'chai';
import { SAMPLE_ITEMS_FILE } from '#local/local-stack';
import { type Delivery, SMOKE_ITEM_ID, seedDeployedTable } from './harness/delivery-world';
import { deployRoleArn } from './harness/emulated-account';
import { describeRun, jobOf, stepOf, type WorkflowRun } from './harness/run-records';
import { expectDeployed } from './harness/scenario-checks';
import { devDeployedByPushToMain, useDelivery } from './harness/shared-delivery';
import { allSteps, loadWorkflow } from './workflow-files';

/**
 * Scenario (c): a push to main runs deploy.yml, whose `dev` job calls deploy-stage.yml for dev.
 * The job plans to a file, applies that file, records the outputs and runs the smoke step
 * unchanged against the stage URL from those outputs.
 *
 * What stands in for the deployed API: moto cannot run a function, so the function's zip (found by
 * the CodeSha256 moto recorded) runs in this project's local Lambda runtime behind its API Gateway
 * emulator, with the function's environment as deployed, reading the table Terraform created on
 * moto; the stage URL reaches it through the runner's HTTPS proxy (harness/deployed-api-route.ts).
 */
describe('deploy.yml, push to main deploys dev (scenario c)', function () {
  this.timeout(1_800_000);
  let delivery: Delivery;
  let run: WorkflowRun;

  before(async function () {
    delivery = await useDelivery(this);
    run = await devDeployedByPushToMain(delivery);
  });

  it('runs deploy-stage.yml for dev only, in the dev environment, with an OIDC token', () => {
    const job = jobOf(run, 'dev / deploy');
    expect(job.result, describeRun(run)).to.equal('success');
    expect(job).to.include({ environment: 'dev', name: 'dev / Deploy dev' });
    expect(job.permissions?.['id-token']).to.equal('write');
    expect(jobOf(run, 'prod').result).to.equal('skipped');
  });

  it('assumes the dev deploy role, which trusted the environment:dev subject of deploy-stage.yml', () => {
    const judged = delivery.trust.filter((t) => t.claims?.sha === run.event.sha);
    expect(
      judged.map((t) => [
        t.roleArn,
        t.claims?.sub,
        t.claims?.job_workflow_ref,
        t.claims?.environment,
        t.allowed,
      ]),
    ).to.deep.equal([
      [
        deployRoleArn(delivery.account.bootstrapOutputs, 'dev'),
        'repo:acme/item-api:environment:dev',
        'acme/item-api/.github/workflows/deploy-stage.yml@refs/heads/main',
        'dev',
        true,
      ],
    ]);
  });

  it('applies exactly the saved plan as that role, records the outputs, and the smoke test passes', async () => {
    await expectDeployed(delivery, run, 'dev');
    const smoke = stepOf(jobOf(run, 'dev / deploy'), 'Smoke test');
    const asWritten = allSteps(loadWorkflow('deploy-stage.yml')).find(
      ({ step }) => step.name === 'Smoke test',
    );
    expect(smoke.run).to.equal(asWritten?.step.run);
    expect(smoke.log)
      .to.match(/^✔ item-missing: .*\[404\]$/m)
      .and.match(/^✔ id-oversized: .*\[400\]$/m);
    expect(smoke.log).to.match(/^- item-get: /m);
    expect(delivery.route.log.join('\n')).to.include('→ item-api-dev-get-item');
  });

  it('after the table is seeded by hand and SMOKE_ITEM_ID set, the next deploy smoke-tests a known item', async () => {
    await seedDeployedTable(delivery.account, 'item-api-dev-items', SAMPLE_ITEMS_FILE);
    delivery.world.settings.setVariable('SMOKE_ITEM_ID', SMOKE_ITEM_ID, 'dev');
    const { world } = delivery;
    const next = await world.run(
      'deploy.yml',
      world.push(
        'main',
        { 'docs/CHANGELOG-harness.md': (t) => `${t}A second merge.\n` },
        'Merge another pull request',
      ),
    );
    await expectDeployed(delivery, next, 'dev');
    expect(stepOf(jobOf(next, 'dev / deploy'), 'Smoke test').log).to.match(/^✔ item-get: .*\[200\]$/m);
  });
});
