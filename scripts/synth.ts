import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './lib/paths';

/**
 * `npm run synth`: `cdktf synth` into cdktf.out/stacks/<stack>/cdk.tf.json, with HashiCorp's update
 * checks and telemetry off. The build runs inside: cdktf.json's app command builds the bundle first,
 * so `npx cdktf synth` and `npx cdktf deploy` never zip a missing or stale dist/handler.
 */
const cdktf = path.join(
  REPO_ROOT,
  'node_modules',
  '.bin',
  process.platform === 'win32' ? 'cdktf.cmd' : 'cdktf',
);
const result = spawnSync(cdktf, ['synth', ...process.argv.slice(2)], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  shell: process.platform === 'win32',
});
process.exitCode = result.status ?? 1;
