import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LANE_CACHE } from './lane-install';
import { REPO_ROOT } from './paths';
import type { StackJson } from './synth-diff';

export interface StepRun {
  readonly step: string;
  readonly seconds: number;
}

/**
 * Runs one step of a lane's check in `cwd`, its output in `<logDir>/<step>.log`; throws with the
 * log's tail when it fails. Returns how long it took.
 */
export function runStep(
  step: string,
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logDir: string; timeoutMs?: number },
): StepRun {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs ?? 900_000,
  });
  mkdirSync(options.logDir, { recursive: true });
  const log = path.join(options.logDir, `${step.replaceAll(/[^\w.-]+/g, '-')}.log`);
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  writeFileSync(log, `$ ${command} ${args.join(' ')}\n${output}`);
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.signal ?? result.status}`;
    throw new Error(
      `${step} failed (${why}); ${path.relative(REPO_ROOT, log)} ends:\n${output.slice(-4000)}`,
    );
  }
  return { step, seconds: (Date.now() - started) / 1000 };
}

/** The stacks of a cdktf output folder, by name. */
export function readStacks(outdir: string): Record<string, StackJson> {
  const stacksDir = path.join(outdir, 'stacks');
  return Object.fromEntries(
    readdirSync(stacksDir).map((name) => [
      name,
      JSON.parse(readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8')) as StackJson,
    ]),
  );
}

/** The pinned fixtures of a checkout (test/fixtures/synthesized), by name. */
export function readFixtures(root: string): Record<string, StackJson> {
  const dir = path.join(root, 'test', 'fixtures', 'synthesized');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [
        path.basename(f, '.json'),
        JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as StackJson,
      ]),
  );
}

export interface LockChange {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

/**
 * The lane's package-lock.json, regenerated from the switched package.json and the project's lock
 * as `npm install` would (without installing): it proves the lane's dependency tree resolves,
 * peers included. Cached by the hash of both inputs.
 */
export function regenerateLock(tree: string, env: NodeJS.ProcessEnv, logDir: string): LockChange {
  const inputs = ['package.json', 'package-lock.json'].map((f) => readFileSync(path.join(tree, f)));
  const hash = createHash('sha256').update(Buffer.concat(inputs)).digest('hex').slice(0, 16);
  const cached = path.join(LANE_CACHE, 'locks', `${hash}.json`);
  const lock = path.join(tree, 'package-lock.json');
  const before = readFileSync(lock, 'utf8');
  if (existsSync(cached)) {
    copyFileSync(cached, lock);
  } else {
    runStep(
      'regenerate package-lock.json',
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
      { cwd: tree, env, logDir },
    );
    mkdirSync(path.dirname(cached), { recursive: true });
    copyFileSync(lock, cached);
  }
  return lockChange(before, readFileSync(lock, 'utf8'));
}

function lockChange(before: string, after: string): LockChange {
  type Lock = { packages: Record<string, { version?: string }> };
  const a = (JSON.parse(before) as Lock).packages;
  const b = (JSON.parse(after) as Lock).packages;
  const id = (key: string, entry: { version?: string } | undefined) =>
    `${key.replace(/^node_modules\//, '')}@${entry?.version}`;
  return {
    added: Object.keys(b)
      .filter((k) => !(k in a))
      .map((k) => id(k, b[k])),
    removed: Object.keys(a)
      .filter((k) => !(k in b))
      .map((k) => id(k, a[k])),
    changed: Object.keys(b)
      .filter((k) => k in a && a[k]?.version !== b[k]?.version)
      .map((k) => `${k.replace(/^node_modules\//, '')} ${a[k]?.version} -> ${b[k]?.version}`),
  };
}

/** `version` (e.g. v22.23.3) meets `range` of the form `>=X.Y.Z` (what `engines` use here). */
export function meetsEngine(version: string, range: string): boolean {
  const want = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  const have = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!want || !have) throw new Error(`cannot compare ${version} with ${range}`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(have[i]) - Number(want[i]);
    if (d !== 0) return d > 0;
  }
  return true;
}
