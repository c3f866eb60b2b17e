import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_STATE_GUARD } from '../../infra/state-backend';

type Env = Readonly<Record<string, string | undefined>>;

/** Written beside a stack's cdk.tf.json in offline mode only; Terraform merges `*_override.tf.json` last. */
export const OFFLINE_OVERRIDE_FILE = 'zz_offline_override.tf.json';

export const TERRAFORM_INSTALL_HINT =
  'Install Terraform 1.11 or later (https://developer.hashicorp.com/terraform/install, or ' +
  '`brew install hashicorp/tap/terraform`) and put it on PATH, or set TERRAFORM_BIN.';

export const OFFLINE_MIRROR_HINT =
  'To plan offline, set TF_PLUGIN_DIR to a provider mirror: a folder holding ' +
  'registry.terraform.io/hashicorp/aws/5.100.0/<os>_<arch>/ (e.g. made by `terraform providers mirror <dir>` ' +
  'in a synthesized stack folder).';

/** The terraform binary: TERRAFORM_BIN, else the first `terraform` on PATH, else undefined. */
export function findTerraform(env: Env = process.env): string | undefined {
  const explicit = env.TERRAFORM_BIN?.trim();
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  const names = process.platform === 'win32' ? ['terraform.exe'] : ['terraform'];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (dir && isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** TF_PLUGIN_DIR when it names an existing provider mirror, undefined when unset; throws when it names nothing. */
export function pluginDirFromEnv(env: Env = process.env): string | undefined {
  const dir = env.TF_PLUGIN_DIR?.trim();
  if (!dir) return undefined;
  if (!existsSync(path.join(dir, 'registry.terraform.io'))) {
    throw new Error(`TF_PLUGIN_DIR=${dir} is not a provider mirror: it has no registry.terraform.io folder`);
  }
  return path.resolve(dir);
}

/**
 * Lets the real AWS provider plan without AWS: dummy keys that are never checked, no account id
 * lookup, no instance metadata. It lives only in the offline override file, never in the
 * synthesized configuration.
 */
export const OFFLINE_PROVIDER_SETTINGS = {
  access_key: 'offline-plan-not-a-key',
  secret_key: 'offline-plan-not-a-secret',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
} as const;

/**
 * The override for one stack: the offline settings on every AWS provider block (Terraform merges
 * override blocks by provider name and alias, so each aliased provider needs its own), and a local
 * state file instead of whatever backend the stack names.
 */
export function offlineOverride(stackConfig: { provider?: { aws?: { alias?: string }[] } }) {
  const aliases = (stackConfig.provider?.aws ?? [{}]).map((block) => block.alias);
  return {
    '//': 'Offline planning only (scripts/lib/terraform.ts). Delete this file to plan against AWS.',
    provider: {
      aws: aliases.map((alias) => ({
        ...(alias === undefined ? {} : { alias }),
        ...OFFLINE_PROVIDER_SETTINGS,
      })),
    },
    terraform: { backend: { local: {} } },
  };
}

export function writeOfflineOverride(stackDir: string): void {
  const config = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  writeFileSync(
    path.join(stackDir, OFFLINE_OVERRIDE_FILE),
    `${JSON.stringify(offlineOverride(config), null, 2)}\n`,
  );
}

/** A stale override would silently turn an online plan into a credential-less one. */
export function removeOfflineOverride(stackDir: string): void {
  rmSync(path.join(stackDir, OFFLINE_OVERRIDE_FILE), { force: true });
}

export interface TerraformRun {
  readonly terraform: string;
  readonly cwd: string;
  readonly env?: Env;
}

/** Runs terraform, returning stdout; throws with the command and its output when it fails. */
export function runTerraform(run: TerraformRun, args: readonly string[]): string {
  const result = spawnSync(run.terraform, args, {
    cwd: run.cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: {
      ...(run.env ?? process.env),
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `terraform ${args.join(' ')} failed in ${run.cwd} (exit ${result.status}):\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

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
    writeFileSync(files.json, runTerraform(run, ['show', '-json', path.resolve(files.tfplan)]));
    writeFileSync(files.txt, runTerraform(run, ['show', '-no-color', path.resolve(files.tfplan)]));
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

export interface SynthesizedStack {
  readonly name: string;
  /** Absolute path of the folder holding the stack's cdk.tf.json. */
  readonly dir: string;
}

/** The stacks in a cdktf output folder, from its manifest, in synthesis order. */
export function synthesizedStacks(outdir: string): SynthesizedStack[] {
  const manifestPath = path.join(outdir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`${manifestPath} not found; run \`npm run synth\` first`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    stacks?: Record<string, { workingDirectory?: string }>;
  };
  return Object.entries(manifest.stacks ?? {}).map(([name, stack]) => ({
    name,
    dir: path.resolve(outdir, stack.workingDirectory ?? path.join('stacks', name)),
  }));
}
