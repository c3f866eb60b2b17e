// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow YAML holds literal ${{ }} expressions.
import { expect } from 'chai';
import type { Delivery } from './harness/delivery-world';
import { jobOf, stepOf, type WorkflowRun } from './harness/run-records';
import { expectDeployed, expectPlannedAndCommented } from './harness/scenario-checks';
import { useDelivery } from './harness/shared-delivery';
import { allSteps, loadWorkflows } from './workflow-files';

/**
 * The harness must fail when a workflow breaks, or its passing scenarios prove nothing. Each test
 * commits a broken copy of a real workflow file, runs it as its scenario does, and expects that
 * scenario's own check (harness/scenario-checks.ts) to throw:
 *
 * - every `role-to-assume` reading a misspelled variable (found in the files, so a new one is
 *   covered or fails here for want of a trigger);
 * - a job that assumes a role without its `id-token: write` grant (plan.yml's job, and deploy.yml's
 *   dev job, whose grant caps the called deploy-stage.yml);
 * - the comment step without its token;
 * - the apply step broken.
 *
 * A mutation of a deploy workflow is pushed to main and main is then put back, as a revert would.
 */
const ROLE_VARIABLE = /\$\{\{\s*vars\.([A-Z_]+)\s*\}\}/;

const roleVariables = loadWorkflows().flatMap((workflow) =>
  allSteps(workflow)
    .filter(({ step }) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))
    .map(({ step }) => ({
      file: workflow.file,
      variable: ROLE_VARIABLE.exec(String(step.with?.['role-to-assume']))?.[1],
    })),
);

/** The first `id-token: write` grant of each file whose job assumes a role, as GitHub would refuse it. */
const OIDC_GRANTS = [
  { file: 'plan.yml', job: 'plan', refusal: /Credentials could not be loaded/ },
  {
    file: 'deploy.yml',
    job: 'dev / deploy',
    refusal: /The nested job is requesting 'id-token: write', but is only allowed 'id-token: none'/,
  },
] as const;
const GRANT = /^ +id-token: write\b.*\n/m;

function misspell(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the workflow no longer contains ${from}`);
  return text.replace(from, to);
}

describe('the harness fails when a workflow breaks (mutated copies of the real files)', function () {
  this.timeout(1_800_000);
  let delivery: Delivery;
  let pr = 50;

  before(async function () {
    delivery = await useDelivery(this);
  });

  /** Runs the scenario a workflow file belongs to, with the file changed; returns the run and the scenario's check. */
  async function scenarioWith(
    file: string,
    change: (text: string) => string,
  ): Promise<{ run: WorkflowRun; job: string; check: () => Promise<void> }> {
    const { world } = delivery;
    const path = `.github/workflows/${file}`;
    if (file === 'plan.yml') {
      const number = ++pr;
      const run = await world.run(
        'plan.yml',
        world.pullRequest({ number, branch: `mutation/${number}`, changes: { [path]: change } }),
      );
      return { run, job: 'plan', check: () => expectPlannedAndCommented(delivery, run, number) };
    }
    if (file === 'deploy-stage.yml' || file === 'deploy.yml') {
      const before = world.origin.sha('main');
      try {
        const run = await world.run('deploy.yml', world.push('main', { [path]: change }, `Break ${file}`));
        return { run, job: 'dev / deploy', check: () => expectDeployed(delivery, run, 'dev') };
      } finally {
        world.resetBranch('main', before);
      }
    }
    throw new Error(`no scenario runs ${file}: add one here so its role-to-assume is covered`);
  }

  it('finds a role-to-assume in plan.yml and in deploy-stage.yml, each reading a variable', () => {
    expect(roleVariables.map((r) => r.file)).to.include.members(['plan.yml', 'deploy-stage.yml']);
    for (const { file, variable } of roleVariables) expect(variable, file).to.match(/^[A-Z_]+$/);
  });

  for (const { file, variable } of roleVariables) {
    it(`${file}: role-to-assume reading a misspelled vars.${variable} fails its scenario`, async () => {
      const { run, job, check } = await scenarioWith(file, (text) =>
        misspell(text, `vars.${variable} }}`, `vars.${variable}_TYPO }}`),
      );
      await expectRejection(check(), /expected 'failure' to equal 'success'/);
      const credentials = stepOf(jobOf(run, job), /configure-aws-credentials/);
      expect(credentials.log).to.include('Credentials could not be loaded');
    });
  }

  for (const { file, job, refusal } of OIDC_GRANTS) {
    it(`${file}: a job without its id-token: write grant gets no OIDC token, and its scenario fails`, async () => {
      const { run, check } = await scenarioWith(file, (text) => {
        if (!GRANT.test(text)) throw new Error(`${file} no longer grants id-token: write`);
        return text.replace(GRANT, '');
      });
      await expectRejection(check(), /expected 'failure' to equal 'success'/);
      const record = jobOf(run, job);
      expect(`${record.reason ?? ''}\n${record.steps.map((s) => s.log).join('\n')}`).to.match(refusal);
      expect(delivery.world.oidc.issued.filter((c) => c.run_id === String(run.runId))).to.deep.equal([]);
    });
  }

  it('plan.yml: the comment step without its token leaves no sticky comment, and the check fails', async () => {
    const { run, check } = await scenarioWith('plan.yml', (text) =>
      misspell(text, '          GITHUB_TOKEN: ${{ github.token }}\n', ''),
    );
    await expectRejection(check(), /comments on #\d+/);
    expect(jobOf(run, 'plan').result).to.equal('success');
  });

  it('deploy-stage.yml: a broken apply step fails the deploy check', async () => {
    const { run, check } = await scenarioWith('deploy-stage.yml', (text) =>
      misspell(text, '/cdktf.out/plans/$STACK.tfplan"', '/cdktf.out/plans/$STACK.plan"'),
    );
    await expectRejection(check(), /expected 'failure' to equal 'success'/);
    const job = jobOf(run, 'dev / deploy');
    expect(stepOf(job, 'Apply the saved plan').outcome).to.equal('failure');
    expect(stepOf(job, 'Smoke test').conclusion).to.equal('skipped');
  });
});

async function expectRejection(promise: Promise<void>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the scenario check passed on a broken workflow').to.be.instanceOf(Error);
  expect((error as Error).message).to.match(message);
}
