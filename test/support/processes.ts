import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True when something could listen on the port again, i.e. nobody holds it. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A process's state letter from /proc (R, S, Z, ...), or undefined once it is gone. */
function state(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Running, not gone and not a zombie that merely waits to be reaped. */
export function isAlive(pid: number): boolean {
  const s = state(pid);
  return s !== undefined && s !== 'Z' && s !== 'X';
}

/** Every live process below `pid`, from /proc's parent links. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // It exited while we looked.
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      if (isAlive(child)) found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns a command with its output collected, stdout and stderr interleaved. */
export function spawnCollecting(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string },
): Spawned {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Resolves once the output matches, rejects if the process exits or the time runs out first. */
export async function waitForOutput(spawned: Spawned, pattern: RegExp, timeoutMs: number): Promise<void> {
  const started = Date.now();
  let exited = false;
  spawned.exited.then(() => {
    exited = true;
  });
  while (!pattern.test(spawned.output())) {
    if (exited) throw new Error(`exited before printing ${pattern}:\n${spawned.output()}`);
    if (Date.now() - started > timeoutMs)
      throw new Error(`no ${pattern} after ${timeoutMs} ms:\n${spawned.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
