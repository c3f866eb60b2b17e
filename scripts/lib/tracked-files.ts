import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Copies what a fresh clone of `root` would hold, plus uncommitted edits: the files git tracks or
 * would track, and none of what a build, install or deploy leaves behind.
 */
export function copyTrackedFiles(root: string, target: string): void {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = path.join(root, file);
    // A file deleted in the working tree but still in the index is not part of it.
    if (!existsSync(from)) continue;
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    cpSync(from, path.join(target, file));
  }
}
