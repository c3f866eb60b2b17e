import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LANE } from '#shared/toolchain';
import type { App, TerraformStack } from './toolchain';

/**
 * What every stack asks of Terraform, from the toolchain lane: at least 1.11, the first release in
 * which the S3 backend's lock file (`use_lockfile`, infra/state-backend.ts) is generally available.
 */
export const REQUIRED_TERRAFORM_VERSION = LANE.requiredTerraformVersion;

/**
 * The provider lock file every stack uses: the lane's hashicorp/aws version with the registry's
 * checksums for every platform (`zh:`) and the unpacked linux_amd64 package (`h1:`). It is kept at
 * the repository root, where Terraform users look for it, and copied into each stack folder at
 * synth time: `cdktf deploy` runs `terraform providers lock` (which needs the registry) only when a
 * stack has no lock file, and `terraform init` then verifies the provider it installs against these
 * checksums.
 */
export const PROVIDER_LOCK_FILE = '.terraform.lock.hcl';

/**
 * The tag naming a resource's stack. Each environment's deploy role may change API Gateway
 * resources (whose ARNs carry generated ids, not names) only when this tag is not another stack's.
 */
export const STACK_TAG = 'stack';

/**
 * Set only by `npm run verify:next`: its scratch copies of the next lanes cannot reach the
 * Terraform registry to lock their provider, and nothing is planned or deployed from them.
 */
export const SYNTH_WITHOUT_PROVIDER_LOCK = 'SYNTH_WITHOUT_PROVIDER_LOCK';

/** The tags the provider puts on every resource of every stack. */
export function defaultTags(project: string, stack: string): Record<string, string> {
  return { project, [STACK_TAG]: stack, 'managed-by': 'cdktf' };
}

export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
}

/** The hashicorp/aws version a lock file pins, or undefined when it pins none. */
export function lockedAwsVersion(lockFileText: string): string | undefined {
  return /provider "registry\.terraform\.io\/hashicorp\/aws" \{\s+version\s+= "([^"]+)"/.exec(
    lockFileText,
  )?.[1];
}

/** Synthesizes the app, then gives every stack folder the project's provider lock file. */
export function synthWithProviderLock(
  app: App,
  projectRoot: string,
  stacks: readonly TerraformStack[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  const lockFile = path.join(projectRoot, PROVIDER_LOCK_FILE);
  const withoutLock = env[SYNTH_WITHOUT_PROVIDER_LOCK] === '1';
  if (!withoutLock) checkLockFile(lockFile);
  app.synth();
  if (withoutLock) return;
  for (const stack of stacks) {
    copyFileSync(lockFile, path.join(app.outdir, 'stacks', stack.node.id, PROVIDER_LOCK_FILE));
  }
}

/** A lock file for another provider version would stop every `terraform init` with a checksum error. */
function checkLockFile(lockFile: string): void {
  if (!existsSync(lockFile)) throw new Error(`${lockFile} is missing: the stacks cannot pin their provider`);
  const locked = lockedAwsVersion(readFileSync(lockFile, 'utf8'));
  if (locked !== LANE.awsProvider) {
    throw new Error(
      `${lockFile} locks hashicorp/aws ${locked ?? '(none)'}, but the toolchain lane needs ${LANE.awsProvider}: ` +
        'regenerate it with `npm run lock:provider` (needs the Terraform registry; docs/upgrading.md).',
    );
  }
}
