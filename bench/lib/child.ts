import { type ChildProcess, spawn } from 'node:child_process';

export interface ChildRun {
  /** Spawn to exit, in ms, measured by the parent: what a whole process costs. */
  readonly wallMs: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Everything the child wrote to fd 3, the result channel (stdout belongs to the handler's logs). */
  readonly result: string;
  /** The last lines of stdout and stderr, for diagnosing a failed child. */
  readonly tail: string;
}

export interface ChildOptions {
  readonly node: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  /** @default 120000 */
  readonly timeoutMs?: number;
}

const live = new Set<ChildProcess>();

/** Kills every child still running: called on failure and on Ctrl-C, so none outlives the bench. */
export function killChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

const TAIL_BYTES = 4096;

export function runChild(options: ChildOptions): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let exitedAt: bigint | undefined;
    const child = spawn(options.node, options.args, {
      cwd: options.cwd,
      env: options.env,
      // stdout is drained, not ignored: on Lambda the handler's log lines go to a pipe too.
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    live.add(child);
    let result = '';
    let tail = '';
    const keepTail = (chunk: string) => {
      tail = (tail + chunk).slice(-TAIL_BYTES);
    };
    child.stdout?.setEncoding('utf8').on('data', keepTail);
    child.stderr?.setEncoding('utf8').on('data', keepTail);
    const channel = child.stdio[3] as NodeJS.ReadableStream | null;
    channel?.setEncoding('utf8');
    channel?.on('data', (chunk: string) => {
      result += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.once('exit', () => {
      exitedAt = process.hrtime.bigint();
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      const end = exitedAt ?? process.hrtime.bigint();
      resolve({ wallMs: Number(end - started) / 1e6, code, signal, result, tail });
    });
  });
}

/** Parses the child's result, or fails with what the child printed: a silent bad sample is worse than none. */
export function parseResult<T>(label: string, run: ChildRun): T {
  if (run.code !== 0 || run.result === '') {
    throw new Error(
      `${label}: child exited with ${run.signal ?? run.code}${run.result ? `\nresult: ${run.result}` : ''}\n${run.tail}`,
    );
  }
  const parsed = JSON.parse(run.result) as T & { error?: string };
  if (parsed.error) throw new Error(`${label}: ${parsed.error}\n${run.tail}`);
  return parsed;
}
