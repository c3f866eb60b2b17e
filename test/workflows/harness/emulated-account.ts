import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DeleteBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { BOOTSTRAP_STATE_KEY } from '../../../infra/bootstrap/ci-permissions';
import { runTerraform } from '../../../scripts/lib/run-terraform';
import type { DeployTools } from '../../deploy/deploy-tools';
import {
  cdktfOnEmulatorEnv,
  type EmulatorClients,
  emulatorClients,
  writeEmulatorOverride,
  writeTerraformCliConfig,
} from '../../deploy/emulated-aws';
import { type MotoServer, startMotoServer } from '../../deploy/moto-server';
import { copyWorkTree, runCommand } from '../../deploy/work-tree';

/**
 * An AWS account on moto with this project's bootstrap deployed, as docs/ci-cd.md has an
 * administrator do it: `npm run synth` with the repository's owner and name, the bootstrap applied
 * with local state, then that state moved into the bucket it created (what `cdktf deploy bootstrap
 * --migrate-state` does for an empty key), so pull-request plans of the bootstrap read it.
 *
 * Two emulator needs, applied here and nowhere in the workflows: path-style S3 (writeEmulatorOverride,
 * also written beside every stack a workflow synthesizes, see workflow-host.ts), and the state
 * bucket's TLS-only policy removed, because moto applies its Deny although the request does not
 * match its condition.
 */
export const ACCOUNT_ID = '123456789012';
/** Region of the state bucket (the repository variable AWS_REGION); the stacks deploy to us-east-1. */
export const BUCKET_REGION = 'eu-west-1';
export const STACK_REGION = 'us-east-1';
export const STATE_BUCKET = 'acme-item-api-tfstate';

export type TerraformOutputs = Record<string, { value: unknown }>;

export interface EmulatedAccount {
  readonly endpoint: string;
  readonly pluginDir: string;
  /** `terraform output -json` of the bootstrap, as its administrator read it. */
  readonly bootstrapOutputs: TerraformOutputs;
  /** Administrator clients in the stacks' region and in the bucket's. */
  readonly admin: EmulatorClients;
  readonly adminAtBucket: EmulatorClients;
  stop(): Promise<void>;
}

export async function startEmulatedAccount(tools: DeployTools): Promise<EmulatedAccount> {
  const moto: MotoServer = await startMotoServer(tools.moto);
  const tree = copyWorkTree();
  const cliConfig = writeTerraformCliConfig(tools.pluginDir);
  try {
    const env = {
      ...cdktfOnEmulatorEnv({ endpoint: moto.endpoint, cliConfig, region: BUCKET_REGION }),
      TF_STATE_BUCKET: STATE_BUCKET,
    };
    const synth = runCommand('npm', ['run', 'synth'], { cwd: tree, env });
    if (synth.status !== 0) throw new Error(`bootstrap synth failed:\n${synth.output.slice(-4000)}`);
    const stackDir = path.join(tree, 'cdktf.out', 'stacks', 'bootstrap');
    writeEmulatorOverride(stackDir);
    const run = { terraform: tools.terraform, cwd: stackDir, env };
    runTerraform(run, ['init', '-input=false', '-no-color']);
    runTerraform(run, ['apply', '-input=false', '-no-color', '-auto-approve']);
    const bootstrapOutputs = JSON.parse(runTerraform(run, ['output', '-json'])) as TerraformOutputs;
    const admin = emulatorClients(moto.endpoint, STACK_REGION);
    const adminAtBucket = emulatorClients(moto.endpoint, BUCKET_REGION);
    await adminAtBucket.s3.send(new DeleteBucketPolicyCommand({ Bucket: STATE_BUCKET }));
    await adminAtBucket.s3.send(
      new PutObjectCommand({
        Bucket: STATE_BUCKET,
        Key: BOOTSTRAP_STATE_KEY,
        Body: readFileSync(path.join(tree, 'terraform.bootstrap.tfstate')),
      }),
    );
    return {
      endpoint: moto.endpoint,
      pluginDir: tools.pluginDir,
      bootstrapOutputs,
      admin,
      adminAtBucket,
      stop: () => moto.stop(),
    };
  } catch (error) {
    await moto.stop();
    throw error;
  } finally {
    rmSync(tree, { recursive: true, force: true });
    rmSync(path.dirname(cliConfig), { recursive: true, force: true });
  }
}

/** The deploy role an environment's GitHub Environment names: its own once the bootstrap has one per environment, else the shared one. */
export function deployRoleArn(outputs: TerraformOutputs, environment: string): string {
  const own = outputs[`deploy_role_arn_${environment}`]?.value;
  const shared = outputs.deploy_role_arn?.value;
  const arn = own ?? shared;
  if (typeof arn !== 'string') throw new Error(`the bootstrap outputs no deploy role for ${environment}`);
  return arn;
}
