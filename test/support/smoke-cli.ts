import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './repo-root';

/**
 * `npm run smoke -- <args>` as the deploy job runs it (the script under tsx, not through npm), with
 * only PATH and `env` in its environment; stdout and stderr together.
 */
export function runSmokeCli(args: readonly string[], env: Record<string, string>) {
  // Not spawnSync: it would block the event loop a test's server answers on.
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, '.github', 'scripts', 'smoke.ts'), ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env } },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}
