import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigValidationError } from '#shared/validation';
import { appSettingsFromEnv, discardSynthOutput, formatSettingsProblems } from '../infra/app-settings';
import { REPO_ROOT } from './lib/paths';

/**
 * `npm run synth`: `cdktf synth` into cdktf.out/stacks/<stack>/cdk.tf.json, with HashiCorp's update
 * checks and telemetry off. The settings are checked here first, in this process: invalid ones are
 * listed once, each at the setting or variable to change, and nothing is built or synthesized
 * (the output of an earlier synth is removed, so no plan uses it). The build runs inside cdktf:
 * cdktf.json's app command builds the bundle first, so `npx cdktf synth` and `npx cdktf deploy`
 * never zip a missing or stale dist/handler.
 */
function main(argv: readonly string[]): number {
  try {
    appSettingsFromEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    discardSynthOutput(path.resolve(REPO_ROOT, outputDir(argv)));
    console.error(`npm run synth: ${formatSettingsProblems(error)}`);
    return 1;
  }
  const cdktf = path.join(
    REPO_ROOT,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'cdktf.cmd' : 'cdktf',
  );
  const result = spawnSync(cdktf, ['synth', ...argv], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    shell: process.platform === 'win32',
  });
  return result.status ?? 1;
}

/** Where cdktf would write: `--output DIR` (`-o`, `--output=DIR`), else cdktf.json's default. */
function outputDir(argv: readonly string[]): string {
  const at = argv.findIndex((arg) => arg === '--output' || arg === '-o');
  const inline = argv.find((arg) => arg.startsWith('--output='));
  return (at >= 0 ? argv[at + 1] : inline?.slice('--output='.length)) || 'cdktf.out';
}

process.exitCode = main(process.argv.slice(2));
