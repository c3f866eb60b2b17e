import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { commentMarker } from '../../../.github/scripts/lib/plan-comment';
import { stateKey } from '../../../infra/state-backend';
import type { Plan } from '../../deploy/deploy-steps';
import { callerOf, roleOfSession } from './aws-session';
import type { Delivery } from './delivery-world';
import { deployRoleArn, STATE_BUCKET } from './emulated-account';
import { describeRun, jobOf, stepOf, type WorkflowRun } from './run-records';

/**
 * What "it worked" means for each workflow, as expectations that throw: the scenarios assert with
 * them, and the mutation tests (workflow-mutations.test.ts) show each one fails when the workflow
 * it guards is broken.
 */
export const STACKS = ['bootstrap', 'dev', 'prod'] as const;

/** plan.yml on a pull request: every stack planned as the plan role, one sticky comment per stack. */
export async function expectPlannedAndCommented(
  delivery: Delivery,
  run: WorkflowRun,
  pr: number,
): Promise<void> {
  const job = jobOf(run, 'plan');
  expect(job.result, describeRun(run)).to.equal('success');
  const uploaded = readdirSync(path.join(run.artifactsDir, 'plans'));
  for (const stack of STACKS) expect(uploaded, 'uploaded plans').to.include(`${stack}.plan.json`);
  const role = roleOfSession(await callerOf(stepOf(job, /npm run plan/)));
  expect(role, 'the role the plan step acted as').to.equal(
    roleName(String(delivery.account.bootstrapOutputs.plan_role_arn?.value)),
  );
  const comments = delivery.world.settings.commentsOn(pr);
  expect(
    comments.map((c) => c.body.split('\n')[0]),
    `comments on #${pr}`,
  ).to.have.members(STACKS.map(commentMarker));
}

const roleName = (arn: string) => arn.split('/').pop();

/** Apply's own count line: `Apply complete! Resources: 22 added, 0 changed, 0 destroyed.` */
export function appliedCounts(log: string): [number, number, number] | undefined {
  const match = /Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed/.exec(log);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** What a saved plan would do, counted as Terraform's apply summary counts it. */
export function plannedCounts(plan: Plan): [number, number, number] {
  const counts: [number, number, number] = [0, 0, 0];
  for (const change of plan.resource_changes ?? []) {
    const actions = change.change.actions;
    if (actions.includes('create')) counts[0]++;
    if (actions.includes('update')) counts[1]++;
    if (actions.includes('delete')) counts[2]++;
  }
  return counts;
}

/**
 * deploy-stage.yml for one stage: the job assumed that stage's deploy role, applied exactly the
 * plan it saved (same counts, and the state now holds exactly the planned resources), recorded the
 * outputs and passed the smoke test.
 */
export async function expectDeployed(delivery: Delivery, run: WorkflowRun, stage: string): Promise<void> {
  const job = jobOf(run, `${stage} / deploy`);
  expect(job.result, describeRun(run)).to.equal('success');
  const apply = stepOf(job, 'Apply the saved plan');
  expect(roleOfSession(await callerOf(apply)), 'the role apply acted as').to.equal(
    roleName(deployRoleArn(delivery.account.bootstrapOutputs, stage)),
  );
  const workspace = job.workspace as string;
  const plan = JSON.parse(
    readFileSync(path.join(workspace, 'cdktf.out', 'plans', `${stage}.plan.json`), 'utf8'),
  ) as Plan & {
    planned_values?: { root_module?: { resources?: { address: string; mode: string }[] } };
  };
  expect(appliedCounts(apply.log), apply.log.slice(-2000)).to.deep.equal(plannedCounts(plan));
  const stateObject = await delivery.account.adminAtBucket.s3.send(
    new GetObjectCommand({ Bucket: STATE_BUCKET, Key: stateKey(stage) }),
  );
  const state = JSON.parse((await stateObject.Body?.transformToString()) ?? '{}') as {
    resources: { mode: string; type: string; name: string }[];
  };
  const inState = state.resources.filter((r) => r.mode === 'managed').map((r) => `${r.type}.${r.name}`);
  const planned = (plan.planned_values?.root_module?.resources ?? [])
    .filter((r) => r.mode === 'managed')
    .map((r) => r.address);
  expect(inState).to.have.members(planned);
  const outputs = JSON.parse(
    readFileSync(path.join(workspace, 'cdktf.out', `outputs-${stage}.json`), 'utf8'),
  );
  expect(outputs.api_url?.value).to.match(
    /^https:\/\/[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com\/v1$/,
  );
  const smoke = stepOf(job, 'Smoke test');
  expect(smoke.conclusion, smoke.log).to.equal('success');
  expect(smoke.log).to.include('Smoke test passed.');
}
