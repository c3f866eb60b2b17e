import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROVIDER_LOCK_FILE } from '../infra/terraform-settings';
import { LANE } from '../shared/toolchain';
import { runWhenMain } from './lib/cli';
import { findTerraform, TERRAFORM_INSTALL_HINT } from './lib/find-terraform';
import { pluginDirFromEnv } from './lib/offline-plan';
import { REPO_ROOT } from './lib/paths';
import { runTerraform } from './lib/run-terraform';

/** The platforms whose unpacked packages get an `h1:` checksum; `zh:` covers every published one. */
export const LOCK_PLATFORMS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];

/**
 * `npm run lock:provider`: rewrites .terraform.lock.hcl for the lane's hashicorp/aws version, the
 * step after a lane switch (docs/upgrading.md). It needs the Terraform registry, which alone
 * publishes the `zh:` checksums of every platform. With TF_PLUGIN_DIR it locks from that mirror
 * instead, with `h1:` checksums of the mirrored platforms only: enough to test, not to commit.
 */
export function lockProvider(root = REPO_ROOT, env = process.env): string {
  const terraform = findTerraform(env);
  if (terraform === undefined) throw new Error(TERRAFORM_INSTALL_HINT);
  const mirror = pluginDirFromEnv(env);
  const dir = mkdtempSync(path.join(tmpdir(), 'item-api-lock-'));
  try {
    writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({
        terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: LANE.awsProvider } } },
      }),
    );
    runTerraform({ terraform, cwd: dir, env }, [
      'providers',
      'lock',
      ...(mirror ? [`-fs-mirror=${mirror}`] : LOCK_PLATFORMS.map((p) => `-platform=${p}`)),
    ]);
    const target = path.join(root, PROVIDER_LOCK_FILE);
    copyFileSync(path.join(dir, PROVIDER_LOCK_FILE), target);
    return target;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runWhenMain(module, () => {
  const file = lockProvider();
  console.log(`locked hashicorp/aws ${LANE.awsProvider} in ${path.relative(process.cwd(), file) || file}`);
});
