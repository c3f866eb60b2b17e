import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { commentMarker } from '../../.github/scripts/lib/plan-comment';
import { synthesizedStacks } from '../../scripts/lib/synthesized-stacks';
import { callerOf, roleOfSession } from './harness/aws-session';
import type { Delivery } from './harness/delivery-world';
import { STATE_BUCKET } from './harness/emulated-account';
import { describeRun, jobOf, stepOf, type WorkflowRun } from './harness/run-records';
import { devDeployedByPushToMain, useDelivery } from './harness/shared-delivery';

/**
 * Scenario (a): a pull request from a branch of acme/item-api runs plan.yml as GitHub would, from
 * the merge commit, against the account the bootstrap set up on moto. Two pushes to the same pull
 * request: the plan comments are created by the first and edited by the second. A deploy holds
 * dev's state lock the whole time, so a plan that took the lock would fail.
 */
const PR = 11;
const DEV_LOCK = 'item-api/dev.tfstate.tflock';
const LOCK_BODY = JSON.stringify({
  ID: 'held-by-a-deploy',
  Operation: 'OperationTypeApply',
  Who: 'deployer@ci',
});

describe('plan.yml, pull request from a branch of the repository (scenario a)', function () {
  this.timeout(1_800_000);
  let delivery: Delivery;
  let first: WorkflowRun;
  let second: WorkflowRun;
  const lockBody = async () => {
    const object = await delivery.account.adminAtBucket.s3.send(
      new GetObjectCommand({ Bucket: STATE_BUCKET, Key: DEV_LOCK }),
    );
    return object.Body?.transformToString();
  };

  before(async function () {
    delivery = await useDelivery(this);
    const { world } = delivery;
    await delivery.account.adminAtBucket.s3.send(
      new PutObjectCommand({ Bucket: STATE_BUCKET, Key: DEV_LOCK, Body: LOCK_BODY }),
    );
    const change = (line: string) => ({ 'README.md': (text: string) => `${text}\n${line}\n` });
    first = await world.run(
      'plan.yml',
      world.pullRequest({ number: PR, branch: 'docs/plan-me', changes: change('One.') }),
    );
    second = await world.run(
      'plan.yml',
      world.pullRequest({ number: PR, branch: 'docs/plan-me', changes: change('Two.') }),
    );
  });

  // The deploy that held the lock is over; later deploys of dev must not wait for it.
  after(async () => {
    await delivery?.account.adminAtBucket.s3.send(
      new DeleteObjectCommand({ Bucket: STATE_BUCKET, Key: DEV_LOCK }),
    );
  });

  it('runs the plan job, not the fork job, and it succeeds on both pushes', () => {
    for (const run of [first, second]) {
      expect(jobOf(run, 'plan').result, describeRun(run)).to.equal('success');
      expect(jobOf(run, 'fork-validate').result).to.equal('skipped');
    }
  });

  it('plans every synthesized stack and uploads the plans', () => {
    const workspace = jobOf(first, 'plan').workspace as string;
    const stacks = synthesizedStacks(path.join(workspace, 'cdktf.out')).map((s) => s.name);
    expect(stacks).to.include.members(['bootstrap', 'dev', 'prod']);
    const uploaded = readdirSync(path.join(first.artifactsDir, 'plans'));
    for (const stack of stacks)
      expect(uploaded).to.include.members([`${stack}.plan.json`, `${stack}.tfplan`, `${stack}.plan.txt`]);
  });

  it('plans as the plan role, which trusted the job for its pull_request subject', async () => {
    const planStep = stepOf(jobOf(first, 'plan'), /npm run plan/);
    expect(roleOfSession(await callerOf(planStep))).to.equal('item-api-github-plan');
    const judged = delivery.trust.filter((t) => t.claims?.sha === first.event.sha);
    expect(judged.map((t) => [t.roleArn.split('/').pop(), t.claims?.sub, t.allowed])).to.deep.equal([
      ['item-api-github-plan', 'repo:acme/item-api:pull_request', true],
    ]);
  });

  it('plans without the state lock: a deploy holding it neither blocks the plan nor loses it', async () => {
    expect(stepOf(jobOf(second, 'plan'), /npm run plan/).log).not.to.include(
      'Error acquiring the state lock',
    );
    expect(await lockBody()).to.equal(LOCK_BODY);
  });

  it('leaves one sticky comment per stack: created on the first push, edited on the second', () => {
    const stacks = ['bootstrap', 'dev', 'prod'];
    const comments = delivery.world.settings.commentsOn(PR);
    expect(comments.map((c) => c.body.split('\n')[0])).to.have.members(stacks.map(commentMarker));
    expect(comments.every((c) => c.user.type === 'Bot')).to.equal(true);
    const headSha = (second.event.payload.pull_request as { head: { sha: string } }).head.sha;
    for (const comment of comments) expect(comment.body).to.include(headSha.slice(0, 7));
    const requests = delivery.world.api.requests.filter((r) => r.path.includes(`/issues/`));
    expect(requests.filter((r) => r.method === 'POST')).to.have.lengthOf(3);
    expect(requests.filter((r) => r.method === 'PATCH')).to.have.lengthOf(3);
  });

  it('puts the plans in the job summary and reports has-changes', () => {
    const job = jobOf(first, 'plan');
    expect(job.outputs['has-changes']).to.equal('true');
    for (const stack of ['bootstrap', 'dev', 'prod']) expect(job.summary).to.include(commentMarker(stack));
  });

  it('leaves no token in the checkout (persist-credentials: false)', () => {
    const config = path.join(jobOf(first, 'plan').workspace as string, '.git', 'config');
    expect(readFileSync(config, 'utf8')).to.include('[remote "origin"]').and.not.include('AUTHORIZATION');
  });
});

describe('plan.yml, pull request that changes the table key (scenario a)', function () {
  this.timeout(1_800_000);
  const KEY_CHANGE_PR = 12;
  let delivery: Delivery;
  let run: WorkflowRun;

  before(async function () {
    delivery = await useDelivery(this);
    // The table must exist for a key change to replace it: dev as a push to main deploys it.
    await devDeployedByPushToMain(delivery);
    const { world } = delivery;
    run = await world.run(
      'plan.yml',
      world.pullRequest({
        number: KEY_CHANGE_PR,
        branch: 'schema/new-sort-key',
        changes: {
          'handler/src/key-schema.ts': (text) =>
            text.replace("sortKey: { name: 'sk', type: 'S' }", "sortKey: { name: 'id', type: 'S' }"),
        },
      }),
    );
  });

  it("warns, in dev's sticky comment, that the table will be replaced and its items lost", () => {
    expect(jobOf(run, 'plan').result, describeRun(run)).to.equal('success');
    const dev = delivery.world.settings
      .commentsOn(KEY_CHANGE_PR)
      .find((c) => c.body.startsWith(commentMarker('dev')));
    expect(dev?.body)
      .to.include('[!CAUTION]')
      .and.match(/\*\*replace\*\* `aws_dynamodb_table\.[^`]+` \(forced by /);
  });
});
