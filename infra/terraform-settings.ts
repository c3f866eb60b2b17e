import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { App, TerraformStack } from './toolchain';

/** S3-native state locking (`use_lockfile`) arrived in Terraform 1.10; older versions ignore it silently. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.10.0';

/**
 * The provider lock file every stack uses: hashicorp/aws 5.100.0 with the registry's checksums for
 * every platform (`zh:`) and the unpacked linux_amd64 package (`h1:`). It is kept at the repository
 * root, where Terraform users look for it, and copied into each stack folder at synth time: `cdktf
 * deploy` runs `terraform providers lock` (which needs the registry) only when a stack has no lock
 * file, and `terraform init` then verifies the provider it installs against these checksums.
 */
export const PROVIDER_LOCK_FILE = '.terraform.lock.hcl';

/**
 * The tag naming a resource's stack. Each environment's deploy role may change API Gateway
 * resources (whose ARNs carry generated ids, not names) only when this tag is not another stack's.
 */
export const STACK_TAG = 'stack';

/** The tags the provider puts on every resource of every stack. */
export function defaultTags(project: string, stack: string): Record<string, string> {
  return { project, [STACK_TAG]: stack, 'managed-by': 'cdktf' };
}

export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
}

/** Synthesizes the app, then gives every stack folder the project's provider lock file. */
export function synthWithProviderLock(
  app: App,
  projectRoot: string,
  stacks: readonly TerraformStack[],
): void {
  app.synth();
  const lockFile = path.join(projectRoot, PROVIDER_LOCK_FILE);
  if (!existsSync(lockFile)) throw new Error(`${lockFile} is missing: the stacks cannot pin their provider`);
  for (const stack of stacks) {
    copyFileSync(lockFile, path.join(app.outdir, 'stacks', stack.node.id, PROVIDER_LOCK_FILE));
  }
}
