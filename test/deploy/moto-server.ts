import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const MOTO_INSTALL_HINT =
  'Install moto with its server: `pip install "moto[server]==5.2.1"` (moto_server must be on PATH).';

/** `moto_server` on PATH, or undefined. */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'moto_server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** SIGTERM to a helper process; once it has exited, its scratch folder goes. */
export function stopChild(child: ChildProcess, scratchDir: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      rmSync(scratchDir, { recursive: true, force: true });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * moto's server on a free loopback port, as one AWS endpoint for every service. AWS managed
 * policies are loaded so that attaching one (the API Gateway logging role's) works as on AWS.
 */
export async function startMotoServer(binary: string): Promise<MotoServer> {
  const port = await freePort();
  // moto logs every request to stderr. Into a file, not a pipe: the tests run Terraform with
  // spawnSync, which stops this process reading a pipe, and once 64 KB of log lines filled it
  // moto blocked mid-request and the deploy hung.
  const logDir = mkdtempSync(path.join(tmpdir(), 'item-api-moto-'));
  const logFile = path.join(logDir, 'moto.log');
  const logFd = openSync(logFile, 'w');
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    stdio: ['ignore', 'ignore', logFd],
  });
  closeSync(logFd);
  const logTail = () => readFileSync(logFile, 'utf8').slice(-4000);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child, logDir);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${logTail()}`);
    const ready = await fetch(`${endpoint}/moto-api/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { endpoint, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const tail = logTail();
  await stop();
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${tail}`);
}
