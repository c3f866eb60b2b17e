import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { NEXT_LANES } from '#shared/toolchain';
import { comparePlans, planDifferences } from '../../scripts/compare-plans';
import { REPO_ROOT } from '../support/repo-root';
import { type Job, loadWorkflow } from '../workflows/workflow-files';

const workflow = loadWorkflow('next-lane.yml');
const job = workflow.jobs['next-lane'] as Job & {
  'continue-on-error'?: boolean;
  env?: Record<string, string>;
};
const runs = (job.steps ?? []).map((s) => s.run ?? '');
const indexOf = (pattern: RegExp) => runs.findIndex((run) => pattern.test(run));

describe('the next-lane workflow (.github/workflows/next-lane.yml)', () => {
  it('is non-blocking and reads the repository only', () => {
    expect(job['continue-on-error']).to.equal(true);
    expect(job.permissions).to.equal(undefined);
    expect(workflow.permissions).to.deep.equal({ contents: 'read' });
  });

  it('switches to the first next lane with the switch docs/upgrading.md describes', () => {
    expect(job.env?.NEXT_LANE).to.equal(NEXT_LANES[0]);
    const switchStep = runs[indexOf(/switch-lane\.ts/)] ?? '';
    expect(switchStep).to.match(
      /npx tsx scripts\/switch-lane\.ts "\$NEXT_LANE"\n\s*npm install .*\n\s*npm run lock:provider/,
    );
  });

  it("plans main's lane before the switch and the next lane after it, then compares them in the job summary", () => {
    const mainPlan = indexOf(/plans-main/);
    const switched = indexOf(/switch-lane\.ts/);
    const nextPlan = runs.findIndex((run, i) => i > switched && /npm run plan/.test(run));
    const compare = indexOf(/compare-plans\.ts .*>> "\$GITHUB_STEP_SUMMARY"/);
    expect(mainPlan).to.be.within(0, switched - 1);
    expect(nextPlan).to.be.greaterThan(switched);
    expect(compare).to.be.greaterThan(nextPlan);
  });

  it('runs the emulated deploy after the switch, with moto and the mirrored aws 6 provider required', () => {
    const step = (job.steps ?? []).find((s) => s.run?.includes('test/deploy/emulated-deploy.test.ts'));
    expect(step?.env).to.include({ REQUIRE_MOTO: '1', REQUIRE_TERRAFORM: '1' });
    expect(runs.indexOf(step?.run ?? '')).to.be.greaterThan(
      indexOf(/TF_PLUGIN_DIR=\$mirror" >> "\$GITHUB_ENV/),
    );
  });
});

describe("naming each difference from main's plan (scripts/compare-plans.ts)", () => {
  type Plan = {
    terraform_version: string;
    resource_changes: { address: string; change: { actions: string[]; after?: Record<string, unknown> } }[];
  };
  const plan = JSON.parse(
    readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'plans', 'dev.plan.json'), 'utf8'),
  ) as Plan;
  const fn = plan.resource_changes.find((rc) => rc.address.startsWith('aws_lambda_function.'));

  it('finds no difference between a plan and itself', () => {
    expect(planDifferences(plan, plan)).to.deep.equal([]);
  });

  it('names a changed attribute, a changed action, a vanished resource and the Terraform version', () => {
    const next: Plan = JSON.parse(JSON.stringify(plan));
    next.terraform_version = '1.16.6';
    const nextFn = next.resource_changes.find((rc) => rc.address === fn?.address);
    if (nextFn)
      nextFn.change = { actions: ['update'], after: { ...nextFn.change.after, runtime: 'nodejs24.x' } };
    next.resource_changes = next.resource_changes.filter((rc) => !rc.address.startsWith('aws_sns_topic.'));
    const lines = planDifferences(plan, next);
    expect(lines).to.include(`Terraform ${plan.terraform_version} -> 1.16.6`);
    expect(lines).to.include(`\`${fn?.address}\` action create -> update`);
    expect(
      lines.some((l) => l.startsWith(`\`${fn?.address}\` runtime: `) && l.endsWith('"nodejs24.x"')),
    ).to.equal(true);
    for (const rc of plan.resource_changes.filter((r) => r.address.startsWith('aws_sns_topic.'))) {
      expect(lines).to.include(`\`${rc.address}\` only in main (gone on the next lane)`);
    }
  });

  it('writes one section per stack for the job summary', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'item-api-compare-'));
    try {
      for (const side of ['main', 'next']) {
        mkdirSync(path.join(dir, side));
        writeFileSync(path.join(dir, side, 'dev.plan.json'), JSON.stringify(plan));
      }
      expect(comparePlans(path.join(dir, 'main'), path.join(dir, 'next'))).to.equal(
        '## Next lane: plan differences from main\n\n### dev: no difference\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
