import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copyTrackedFiles } from '../../scripts/lib/tracked-files';
import { REPO_ROOT } from '../support/repo-root';

/**
 * A copy of the project as a fresh clone has it: the files git tracks or would track, and none of
 * what a build or a deploy leaves behind (dist/, cdktf.out/, state, .terraform). Uncommitted edits
 * are included, so the test checks the working tree; node_modules is linked, not reinstalled.
 */
export function copyWorkTree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'item-api-clone-'));
  copyTrackedFiles(REPO_ROOT, dir);
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** Replaces `from` with `to` in a file of the copy, failing when `from` is not there. */
export function editFile(root: string, file: string, from: string | RegExp, to: string): void {
  const full = path.join(root, file);
  const before = readFileSync(full, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`${file}: ${String(from)} not found`);
  writeFileSync(full, after);
}

export interface CommandResult {
  readonly status: number | null;
  /** stdout and stderr, with terminal colour codes removed. */
  readonly output: string;
}

export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): CommandResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // A safety net against a hung process, not a speed check: on a loaded machine a plan of two
    // stacks has taken over 4 minutes.
    timeout: options.timeoutMs ?? 600_000,
  });
  if (result.error) throw result.error;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
  const strip = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  return { status: result.status, output: strip(`${result.stdout}${result.stderr}`) };
}
