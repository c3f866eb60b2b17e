import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runWhenMain } from '../../scripts/lib/cli';
import { REPO_ROOT } from '../../scripts/lib/paths';
import { actionlintFindings, formatFinding, shellcheckFindings } from './lib/workflow-lint';

/**
 * `npm run lint:workflows [-- <file>...]`: actionlint and shellcheck on every workflow in
 * .github/workflows (or the files given). Any finding fails. shellcheck must be installed (Debian:
 * `apt-get install shellcheck`; GitHub's Ubuntu runners have it): without it the `run:` scripts
 * would go unchecked, so its absence fails too.
 */
async function main(argv: readonly string[]): Promise<void> {
  const dir = path.join(REPO_ROOT, '.github', 'workflows');
  const files =
    argv.length > 0
      ? [...argv]
      : readdirSync(dir)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => path.join(dir, f));
  const version = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new Error('shellcheck is not installed: apt-get install shellcheck (it checks the run: scripts)');
  }
  const findings = [];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const name = path.relative(REPO_ROOT, path.resolve(file));
    findings.push(...(await actionlintFindings(name, source)), ...shellcheckFindings(name, source));
  }
  for (const finding of findings) console.error(formatFinding(finding));
  const shellcheckVersion = /version: (\S+)/.exec(version.stdout)?.[1] ?? '?';
  console.error(
    `${files.length} workflow(s), actionlint (WebAssembly) and shellcheck ${shellcheckVersion}: ${findings.length} finding(s)`,
  );
  if (findings.length > 0) process.exitCode = 1;
}

runWhenMain(module, () => main(process.argv.slice(2)));
