import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedFromFile } from '#local/seed-items';
import { findDeployTools } from '../../deploy/deploy-tools';
import { writeEmulatorOverride } from '../../deploy/emulated-aws';
import { DeployedApiRoute } from './deployed-api-route';
import {
  ACCOUNT_ID,
  BUCKET_REGION,
  deployRoleArn,
  type EmulatedAccount,
  startEmulatedAccount,
} from './emulated-account';
import type { EnvironmentState } from './github-state';
import { type TrustRecord, webIdentityTrust } from './web-identity-trust';
import { WorkflowWorld } from './workflow-world';

/**
 * The whole delivery path on this machine: GitHub (workflow-world.ts) for acme/item-api, configured
 * as docs/ci-cd.md tells a team to configure it, and an AWS account on moto bootstrapped by its
 * administrator (emulated-account.ts), deployed APIs reachable at their stage URLs
 * (deployed-api-route.ts).
 *
 * Settings, from the bootstrap's outputs: repository variables AWS_REGION (the bucket's region),
 * TF_STATE_BUCKET and AWS_PLAN_ROLE_ARN; Environments `dev` (AWS_DEPLOY_ROLE_ARN, deployments from
 * main only; SMOKE_ITEM_ID once an item is seeded by hand, as the docs say) and `prod`
 * (AWS_DEPLOY_ROLE_ARN, required reviewers `rita` and `sam`, self-review prevented, deployments from main
 * and v* tags only).
 */
/** prod's required reviewers (either one approves). */
export const PROD_REVIEWERS = ['rita', 'sam'] as const;
/** The id docs/ci-cd.md suggests for SMOKE_ITEM_ID, from the sample items. */
export const SMOKE_ITEM_ID = 'hello';

export interface Delivery {
  readonly world: WorkflowWorld;
  readonly account: EmulatedAccount;
  readonly route: DeployedApiRoute;
  /** Every AssumeRoleWithWebIdentity the harness judged, in order. */
  readonly trust: TrustRecord[];
  stop(): Promise<void>;
}

/** Before each step: moto needs path-style S3, for the provider and the S3 backend of every synthesized stack. */
function writeEmulatorOverrides(workspace: string): void {
  const stacks = path.join(workspace, 'cdktf.out', 'stacks');
  if (!existsSync(stacks)) return;
  for (const stack of readdirSync(stacks)) {
    if (existsSync(path.join(stacks, stack, 'cdk.tf.json'))) writeEmulatorOverride(path.join(stacks, stack));
  }
}

export async function startDelivery(): Promise<Delivery | string> {
  const tools = findDeployTools();
  if (typeof tools === 'string') return tools;
  const account = await startEmulatedAccount(tools);
  const workRoot = mkdtempSync(path.join(tmpdir(), 'item-api-runners-'));
  const started: { route?: DeployedApiRoute; world?: WorkflowWorld } = {};
  const stop = async () => {
    await started.world?.stop();
    await started.route?.stop();
    await account.stop();
    rmSync(workRoot, { recursive: true, force: true });
  };
  try {
    const route = await DeployedApiRoute.start({ endpoint: account.endpoint, workspacesRoot: workRoot });
    started.route = route;
    const trust: TrustRecord[] = [];
    const world = await WorkflowWorld.create({
      pluginDir: account.pluginDir,
      workRoot,
      machineEnv: { AWS_ENDPOINT_URL: account.endpoint, AWS_EC2_METADATA_DISABLED: 'true', ...route.env },
      webIdentityTrust: (issuer) =>
        webIdentityTrust({
          iam: account.admin.iam,
          accountId: ACCOUNT_ID,
          verify: (t) => issuer.verify(t),
          record: trust,
        }),
      beforeStep: writeEmulatorOverrides,
      afterRun: () => route.forget(),
    });
    started.world = world;
    configureAsDocumented(world, account);
    return { world, account, route, trust, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Repository and Environment settings from the bootstrap's outputs, as docs/ci-cd.md says to set them. */
function configureAsDocumented(world: WorkflowWorld, account: EmulatedAccount): void {
  const outputs = account.bootstrapOutputs;
  const { settings } = world;
  settings.setVariable('AWS_REGION', BUCKET_REGION);
  settings.setVariable('TF_STATE_BUCKET', String(outputs.state_bucket_name?.value));
  settings.setVariable('AWS_PLAN_ROLE_ARN', String(outputs.plan_role_arn?.value));
  for (const environment of ['dev', 'prod']) {
    settings.setVariable('AWS_DEPLOY_ROLE_ARN', deployRoleArn(outputs, environment), environment);
  }
  settings.update('dev', (dev: EnvironmentState) => ({
    ...dev,
    deploymentBranches: [{ name: 'main', type: 'branch' }],
  }));
  settings.update('prod', (prod: EnvironmentState) => ({
    ...prod,
    reviewers: PROD_REVIEWERS.map((login) => ({ type: 'User' as const, login })),
    preventSelfReview: true,
    deploymentBranches: [
      { name: 'main', type: 'branch' },
      { name: 'v*', type: 'tag' },
    ],
  }));
}

/** Items written into a deployed table by hand, as docs/ci-cd.md says (the deploy role cannot). */
export function seedDeployedTable(
  account: EmulatedAccount,
  tableName: string,
  file: string,
): Promise<number> {
  return seedFromFile(account.admin.dynamodb, tableName, file);
}
