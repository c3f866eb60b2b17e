// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow YAML holds literal ${{ }} expressions.
import { expect } from 'chai';
import { rolePolicies } from '../deploy/deploy-steps';
import { type AuthorizationRequest, evaluate } from '../deploy/iam-evaluator';
import type { Delivery } from './harness/delivery-world';
import { ACCOUNT_ID, deployRoleArn, STACK_REGION, STATE_BUCKET } from './harness/emulated-account';
import type { EnvironmentState } from './harness/github-state';
import { describeRun, jobOf, stepOf, type WorkflowRun } from './harness/run-records';
import { useDelivery } from './harness/shared-delivery';

/**
 * Scenario (e): GitHub gives the `environment:dev` OIDC subject to any job that names
 * `environment: dev`, from any branch, unless the Environment has deployment branch rules. docs/ci-cd.md
 * sets such a rule on dev, and the last test shows it holds; the others take it away, as a team that
 * skipped it would, so that a branch that adds its own workflow gets whatever the dev Environment's
 * role may do. They check it gets that role and no other, and that the role reaches only dev:
 * judged against the role's policies as deployed, with the IAM evaluator.
 *
 * Roles are read from the bootstrap's outputs: `deploy_role_arn_<env>` once each environment has
 * its own role, the shared `deploy_role_arn` before. With the shared role, "cannot touch prod"
 * cannot hold, and that test says so and is marked pending instead of passing.
 */
const BORROW = (planRole: string, prodRole: string) => `
name: Borrow the dev role
on:
  push:
    branches: ['feature/**']
permissions:
  contents: read
jobs:
  borrow:
    runs-on: ubuntu-latest
    environment: dev
    permissions:
      contents: read
      id-token: write
    steps:
      - name: The role the dev Environment names
        uses: aws-actions/configure-aws-credentials@b47578312673ae6fa5b5096b330d9fbac3d116df # v4.2.1
        with:
          role-to-assume: \${{ vars.AWS_DEPLOY_ROLE_ARN }}
          aws-region: us-east-1
      - name: The plan role
        continue-on-error: true
        uses: aws-actions/configure-aws-credentials@b47578312673ae6fa5b5096b330d9fbac3d116df # v4.2.1
        with:
          role-to-assume: ${planRole}
          aws-region: us-east-1
      - name: The prod role
        continue-on-error: true
        uses: aws-actions/configure-aws-credentials@b47578312673ae6fa5b5096b330d9fbac3d116df # v4.2.1
        with:
          role-to-assume: ${prodRole}
          aws-region: us-east-1
`;

/** Changes to one environment's stateful resources and state, by the names the stacks give them. */
function changesTo(environment: string): AuthorizationRequest[] {
  const prefix = `item-api-${environment}`;
  const table = `arn:aws:dynamodb:${STACK_REGION}:${ACCOUNT_ID}:table/${prefix}-items`;
  const fn = `arn:aws:lambda:${STACK_REGION}:${ACCOUNT_ID}:function:${prefix}-get-item`;
  return [
    { action: 'dynamodb:DeleteTable', resource: table },
    { action: 'dynamodb:UpdateTable', resource: table },
    { action: 'lambda:UpdateFunctionCode', resource: fn },
    { action: 'lambda:DeleteFunction', resource: fn },
    { action: 'iam:PutRolePolicy', resource: `arn:aws:iam::${ACCOUNT_ID}:role/${prefix}-get-item-role` },
    { action: 's3:PutObject', resource: `arn:aws:s3:::${STATE_BUCKET}/item-api/${environment}.tfstate` },
  ];
}

describe('a feature branch naming environment: dev (scenario e)', function () {
  this.timeout(600_000);
  let delivery: Delivery;
  let run: WorkflowRun;
  let devRole: string;
  let prodRole: string;

  before(async function () {
    delivery = await useDelivery(this);
    const outputs = delivery.account.bootstrapOutputs;
    devRole = deployRoleArn(outputs, 'dev');
    prodRole = deployRoleArn(outputs, 'prod');
    const workflow = BORROW(String(outputs.plan_role_arn?.value), prodRole);
    const { world } = delivery;
    const documented = world.settings.environment('dev').deploymentBranches;
    world.settings.update('dev', ({ deploymentBranches: _, ...dev }: EnvironmentState) => dev);
    try {
      run = await world.run(
        'borrow.yml',
        world.push('feature/borrow', { '.github/workflows/borrow.yml': workflow }, 'Borrow'),
      );
    } finally {
      world.settings.update('dev', (dev: EnvironmentState) => ({ ...dev, deploymentBranches: documented }));
    }
  });

  it('gets the role the dev Environment names, under the environment:dev subject', () => {
    const job = jobOf(run, 'borrow');
    expect(stepOf(job, 'The role the dev Environment names').conclusion, describeRun(run)).to.equal(
      'success',
    );
    const first = delivery.trust.find((t) => t.claims?.sha === run.event.sha);
    expect([first?.roleArn, first?.claims?.sub, first?.claims?.ref, first?.allowed]).to.deep.equal([
      devRole,
      'repo:acme/item-api:environment:dev',
      'refs/heads/feature/borrow',
      true,
    ]);
  });

  it('cannot get the plan role: its trust names only the pull_request subject', () => {
    const step = stepOf(jobOf(run, 'borrow'), 'The plan role');
    expect(step.outcome).to.equal('failure');
    expect(step.log).to.include(
      'Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );
  });

  it('the dev role may change dev (the check below is not vacuous)', async () => {
    const policies = await rolePolicies(delivery.account.admin, devRole.split('/').pop() as string);
    const denied = changesTo('dev').filter((request) => evaluate(policies, request) !== 'allowed');
    expect(denied).to.deep.equal([]);
  });

  it('cannot get the prod role, and the dev role cannot change prod', async function () {
    if (devRole === prodRole) {
      console.warn(
        `      PENDING: the bootstrap has one deploy role for every environment (${devRole}); a job that names ` +
          'environment: dev gets a role that can change prod. Passes once each environment has its own role (issue 16, part 2).',
      );
      this.skip();
    }
    const step = stepOf(jobOf(run, 'borrow'), 'The prod role');
    expect(step.outcome, step.log).to.equal('failure');
    const policies = await rolePolicies(delivery.account.admin, devRole.split('/').pop() as string);
    const allowed = changesTo('prod').filter((request) => evaluate(policies, request) === 'allowed');
    expect(allowed).to.deep.equal([]);
  });

  it('with the documented branch rule on dev (main only), the same job never starts and gets no token', async () => {
    const { world } = delivery;
    expect(world.settings.environment('dev').deploymentBranches).to.deep.equal([
      { name: 'main', type: 'branch' },
    ]);
    const again = await world.run(
      'borrow.yml',
      world.push('feature/borrow', { 'README.md': (t) => `${t}\nAgain.\n` }, 'Again'),
    );
    const job = jobOf(again, 'borrow');
    expect(job).to.include({
      result: 'failure',
      reason: 'Branch "feature/borrow" is not allowed to deploy to dev due to environment protection rules.',
    });
    expect(job.steps).to.deep.equal([]);
    expect(world.oidc.issued.filter((c) => c.run_id === String(again.runId))).to.deep.equal([]);
  });
});
