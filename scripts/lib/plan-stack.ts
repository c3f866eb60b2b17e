import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_STATE_GUARD } from '../../infra/state-backend';
import { removeOfflineOverride, writeOfflineOverride } from './offline-plan';
import { keyValuesIn, redactKeyValues } from './redact-key-values';
import { type Env, runTerraform, type TerraformRun } from './run-terraform';

export interface PlanFiles {
  /** Binary plan for `terraform apply`. */
  readonly tfplan: string;
  /** `terraform show -json` of the plan. */
  readonly json: string;
  /** `terraform show -no-color` of the plan, for humans. */
  readonly txt: string;
}

export function planFiles(plansDir: string, stackName: string): PlanFiles {
  return {
    tfplan: path.join(plansDir, `${stackName}.tfplan`),
    json: path.join(plansDir, `${stackName}.plan.json`),
    txt: path.join(plansDir, `${stackName}.plan.txt`),
  };
}

export interface PlanStackOptions {
  readonly terraform: string;
  /** The synthesized stack folder holding cdk.tf.json. */
  readonly stackDir: string;
  readonly stackName: string;
  /** Where the plan files go. */
  readonly plansDir: string;
  /** Provider mirror; set means offline mode. */
  readonly pluginDir?: string;
  /**
   * Take the state lock while planning. Pull-request plans pass false: a plan writes no state, and a
   * cancelled run must not leave a lock that blocks the next deploy.
   * @default true (offline plans never lock: their state is a throwaway file)
   */
  readonly lock?: boolean;
  /**
   * How long to wait for a lock held by someone else (Terraform duration, e.g. `10m`).
   * @default - fail at once, as Terraform does
   */
  readonly lockTimeout?: string;
  readonly env?: Env;
  readonly log?: (line: string) => void;
}

/**
 * init, validate, plan -out, then show the plan as JSON and text.
 *
 * Offline, everything Terraform writes goes to a temporary data directory that is deleted
 * afterwards: an offline `.terraform` left in the stack folder (local backend, mirror-only
 * providers) would make the next `cdktf deploy` of that folder stop at "Backend configuration
 * changed". The provider lock file is read, never rewritten, so a plan cannot change what a deploy
 * installs.
 */
export function planStack(options: PlanStackOptions): PlanFiles {
  const { stackDir, stackName, pluginDir } = options;
  const log = options.log ?? (() => {});
  if (!existsSync(path.join(stackDir, 'cdk.tf.json'))) {
    throw new Error(`${stackDir} has no cdk.tf.json; run \`npm run synth\` first`);
  }
  mkdirSync(options.plansDir, { recursive: true });
  const files = planFiles(options.plansDir, stackName);
  const offline = pluginDir !== undefined;
  const dataDir = offline ? mkdtempSync(path.join(tmpdir(), `item-api-plan-${stackName}-`)) : undefined;
  const run: TerraformRun = {
    terraform: options.terraform,
    cwd: stackDir,
    env: offline ? { ...(options.env ?? process.env), ...offlineEnv(dataDir as string) } : options.env,
  };
  const lock = !offline && options.lock !== false;

  // Present only while planning: a leftover would make a later `cdktf deploy` of this folder use
  // dummy credentials and local state.
  if (offline) writeOfflineOverride(stackDir);
  else removeOfflineOverride(stackDir);
  try {
    log(`[${stackName}] terraform init${offline ? ' (offline)' : ''}`);
    runTerraform(run, [
      'init',
      '-input=false',
      '-no-color',
      '-lockfile=readonly',
      // The backend differs between offline (local) and CI (S3) runs of the same folder.
      ...(offline ? [`-plugin-dir=${pluginDir}`] : ['-reconfigure']),
    ]);
    log(`[${stackName}] terraform validate`);
    runTerraform(run, ['validate', '-no-color']);
    log(`[${stackName}] terraform plan`);
    runTerraform(run, [
      'plan',
      '-input=false',
      '-no-color',
      `-out=${path.resolve(files.tfplan)}`,
      // Offline there is no AWS to refresh from.
      ...(offline ? ['-refresh=false'] : []),
      `-lock=${lock}`,
      ...(lock && options.lockTimeout ? [`-lock-timeout=${options.lockTimeout}`] : []),
    ]);
    // API key values must not reach the pull-request comment or the artifacts (redact-key-values.ts).
    const json = runTerraform(run, ['show', '-json', path.resolve(files.tfplan)]);
    const keys = keyValuesIn(JSON.parse(json));
    writeFileSync(files.json, redactKeyValues(json, keys));
    writeFileSync(
      files.txt,
      redactKeyValues(runTerraform(run, ['show', '-no-color', path.resolve(files.tfplan)]), keys),
    );
  } finally {
    removeOfflineOverride(stackDir);
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  }
  return files;
}

/**
 * Offline runs keep their `.terraform` in a folder of their own, never in the stack folder, and
 * plan against a throwaway local state, so the guard against deploying with local state does not apply.
 */
function offlineEnv(dataDir: string): Env {
  return { TF_DATA_DIR: dataDir, [`TF_VAR_${LOCAL_STATE_GUARD}`]: 'true' };
}
