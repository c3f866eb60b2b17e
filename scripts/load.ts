import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import type { LocalAccess } from '#local/access-gate';
import { runWhenMain } from './lib/cli';
import { LOAD_MIX } from './lib/load-mix';
import { formatFigures, runThrottleLoad, STEPS } from './lib/load-throttle';
import { REPO_ROOT } from './lib/paths';

/**
 * npm run load [-- --duration 30 --connections 50]
 * npm run load -- --access api-key [--rate 20 --step-seconds 5]
 *
 * Drives the local stack (the shipped bundle on Node 22, dynalite, the REST emulator) with a mix of
 * hits, misses and bad ids, and fails unless every answer has the right status, nothing errors or
 * times out, there is no 5xx, and the memory of the function and of the server stays flat.
 *
 * With `--access api-key`, one key on a usage plan of `--rate` requests a second (burst the same)
 * is driven below and above that rate instead, and the run fails unless 429s start at the plan's
 * rate, what gets through under overload is the plan's rate, both within 10%, and nothing is 5xx.
 */
const MAX_RSS_GROWTH = 0.2;

async function main(argv: string[]): Promise<void> {
  const accessIndex = argv.indexOf('--access');
  if (accessIndex >= 0) {
    if (argv[accessIndex + 1] !== 'api-key') throw new Error('--access takes api-key');
    return throttleLoad(argv);
  }
  const duration = numberFlag(argv, '--duration', 30);
  const connections = numberFlag(argv, '--connections', 50);
  const stack = await startStackProcess();
  try {
    const { functionPid } = stack;
    const wrongStatus = new Map<string, number>();
    const requests = LOAD_MIX.map(({ name, path: urlPath, status }) => ({
      method: 'GET' as const,
      path: urlPath,
      onResponse: (actual: number) => {
        if (actual !== status)
          wrongStatus.set(`${name}: ${actual}`, (wrongStatus.get(`${name}: ${actual}`) ?? 0) + 1);
      },
    }));

    // Warm up at full concurrency first, so "before" is the heap of a busy function, not a fresh one.
    await autocannon({ url: stack.apiUrl, connections, duration: Math.min(10, duration), requests });
    const before = { server: await stack.serverRss(), fn: rssOf(functionPid) };
    console.log(`load: ${connections} connections for ${duration} s against ${stack.apiUrl} ...`);
    const result = await autocannon({ url: stack.apiUrl, connections, duration, requests });
    const after = { server: await stack.serverRss(), fn: rssOf(functionPid) };

    const fiveXx = result['5xx'];
    const fnGrowth = (after.fn - before.fn) / before.fn;
    const serverGrowth = (after.server - before.server) / before.server;
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(`
requests      ${result.requests.total} in ${result.duration.toFixed(1)} s  (${result.requests.average.toFixed(0)} req/s)
latency       p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms   max ${result.latency.max} ms
errors        ${result.errors}   timeouts ${result.timeouts}   5xx ${fiveXx}
statuses      ${JSON.stringify(statusCounts(result))}
wrong status  ${wrongStatus.size === 0 ? 'none' : JSON.stringify(Object.fromEntries(wrongStatus))}
function RSS  ${mb(before.fn)} -> ${mb(after.fn)} (${(fnGrowth * 100).toFixed(1)}%)
server RSS    ${mb(before.server)} -> ${mb(after.server)} (${(serverGrowth * 100).toFixed(1)}%, emulator and dynalite)`);

    const failures = [
      result.errors > 0 && `${result.errors} connection errors`,
      result.timeouts > 0 && `${result.timeouts} timeouts`,
      fiveXx > 0 && `${fiveXx} 5xx responses`,
      wrongStatus.size > 0 && 'responses with the wrong status',
      fnGrowth > MAX_RSS_GROWTH && `function RSS grew ${(fnGrowth * 100).toFixed(0)}%`,
      serverGrowth > MAX_RSS_GROWTH && `server RSS grew ${(serverGrowth * 100).toFixed(0)}%`,
      result.requests.total === 0 && 'no requests completed',
    ].filter(Boolean);
    if (failures.length > 0) throw new Error(`load failed: ${failures.join(', ')}`);
    console.log('\nload: PASS');
  } finally {
    await stack.stop();
  }
}

async function throttleLoad(argv: string[]): Promise<void> {
  const rate = numberFlag(argv, '--rate', 20);
  const secondsPerStep = numberFlag(argv, '--step-seconds', 5);
  const connections = numberFlag(argv, '--connections', 10);
  const key = 'l0adTestKey0123456789abcdef';
  const access: LocalAccess = {
    mode: 'api-key',
    keys: [{ name: 'load', value: key, plan: { throttle: { rateLimit: rate, burstLimit: rate } } }],
  };
  const stack = await startStackProcess(access);
  try {
    console.log(
      `load --access api-key: one key, plan ${rate} requests/s (burst ${rate}), ${STEPS.length} steps of ${secondsPerStep} s, ${connections} connections, against ${stack.apiUrl}`,
    );
    const result = await runThrottleLoad({ apiUrl: stack.apiUrl, key, rate, secondsPerStep, connections });
    console.log(`\n${formatFigures(result, rate)}`);
    if (result.failures.length > 0) throw new Error(`load failed: ${result.failures.join(', ')}`);
    console.log('\nload: PASS');
  } finally {
    // Requests autocannon abandoned at the end of the last step finish first.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await stack.stop();
  }
}

interface StackProcess {
  apiUrl: string;
  functionPid: number;
  /** The stack process's RSS right after a full GC, so uncollected garbage is not read as growth. */
  serverRss(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts local/local-stack-child.ts and waits for its URL. */
function startStackProcess(access?: LocalAccess): Promise<StackProcess> {
  const child = fork(path.join(REPO_ROOT, 'local', 'local-stack-child.ts'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...(access && { LOCAL_STACK_ACCESS: JSON.stringify(access) }) },
  });
  const serverRss = () =>
    new Promise<number>((resolve) => {
      child.once('message', (message: { memory: NodeJS.MemoryUsage }) => resolve(message.memory.rss));
      child.send('memory');
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.disconnect();
    });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { apiUrl: string; functionPid: number }) =>
      resolve({ ...message, serverRss, stop }),
    );
    child.once('exit', (code) => reject(new Error(`the local stack exited before it started (${code})`)));
  });
}

/** Resident set size of another process, from /proc (Linux). */
function rssOf(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

function statusCounts(result: autocannon.Result): Record<string, number> {
  return Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats?.count ?? 0]),
  );
}

function numberFlag(argv: string[], flag: string, fallback: number): number {
  const index = argv.indexOf(flag);
  if (index < 0) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
  return value;
}

runWhenMain(module, () => main(process.argv.slice(2)));
