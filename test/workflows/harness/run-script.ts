import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A `run:` step as the runner starts it: the script written to a file in RUNNER_TEMP and handed to
 * the shell's template, `bash --noprofile --norc -e -o pipefail {0}` by default (`sh -e {0}` for
 * `shell: sh`), in the step's working directory with exactly the step's environment. It runs
 * asynchronously: the stand-ins it talks to (GitHub's API, the deployed API) live in this process.
 */
export const SHELLS: Record<string, (file: string) => [string, string[]]> = {
  bash: (file) => ['bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', file]],
  sh: (file) => ['sh', ['-e', file]],
};

export interface ScriptRun {
  readonly script: string;
  /** @default 'bash' */
  readonly shell?: string;
  readonly workingDirectory: string;
  readonly env: Readonly<Record<string, string>>;
  readonly tempDir: string;
  /** @default 30 minutes; the process group is killed after it */
  readonly timeoutMs?: number;
}

export interface ScriptResult {
  readonly exitCode: number;
  /** stdout and stderr, interleaved as written. */
  readonly output: string;
}

export function runScript(run: ScriptRun): Promise<ScriptResult> {
  const shell = SHELLS[run.shell ?? 'bash'];
  if (shell === undefined) {
    return Promise.resolve({ exitCode: 1, output: `the harness does not run shell ${run.shell}\n` });
  }
  if (!existsSync(run.workingDirectory)) {
    return Promise.resolve({
      exitCode: 1,
      output: `An error occurred trying to start process with working directory '${run.workingDirectory}'. No such file or directory\n`,
    });
  }
  const file = path.join(run.tempDir, `${randomUUID()}.sh`);
  writeFileSync(file, run.script);
  const [command, args] = shell(file);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: run.workingDirectory,
      env: run.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(
      () => {
        chunks.push(Buffer.from('\nThe step timed out in the harness; its process group was killed.\n'));
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      },
      run.timeoutMs ?? 30 * 60_000,
    );
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}
