import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from './run-terraform';

/** Written beside a stack's cdk.tf.json in offline mode only; Terraform merges `*_override.tf.json` last. */
export const OFFLINE_OVERRIDE_FILE = 'zz_offline_override.tf.json';

export const OFFLINE_MIRROR_HINT =
  'To plan offline, set TF_PLUGIN_DIR to a provider mirror: a folder holding ' +
  'registry.terraform.io/hashicorp/aws/5.100.0/<os>_<arch>/ (e.g. made by `terraform providers mirror <dir>` ' +
  'in a synthesized stack folder).';

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
    '//': 'Offline planning only (scripts/lib/offline-plan.ts). Delete this file to plan against AWS.',
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
