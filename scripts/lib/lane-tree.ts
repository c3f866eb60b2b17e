import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { LaneName } from '#shared/toolchain';
import type { LaneInstall } from './lane-install';
import { switchLane } from './lane-switch';
import { REPO_ROOT } from './paths';
import { copyTrackedFiles } from './tracked-files';

/**
 * A copy of the project as a fresh clone has it (the files git tracks or would track, uncommitted
 * edits included), switched to `lane` exactly as docs/upgrading.md switches a checkout. Its
 * node_modules links every package of the project's own, except that the lane's scratch install
 * replaces the CDK, constructs, the bindings and the Node binary (and the CLI, when it differs), and
 * packages the lane drops are absent. Returns the copy's folder.
 */
export function laneTree(dir: string, lane: LaneName, install: LaneInstall, drop: readonly string[]): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyTrackedFiles(REPO_ROOT, dir);
  switchLane(dir, lane);
  overlayNodeModules(path.join(dir, 'node_modules'), install, drop);
  return dir;
}

function overlayNodeModules(target: string, install: LaneInstall, drop: readonly string[]): void {
  const own = path.join(REPO_ROOT, 'node_modules');
  mkdirSync(target);
  for (const entry of readdirSync(own)) {
    if (entry.startsWith('@')) {
      mkdirSync(path.join(target, entry));
      for (const scoped of readdirSync(path.join(own, entry))) link(own, target, `${entry}/${scoped}`);
    } else if (!entry.startsWith('.')) {
      link(own, target, entry);
    }
  }
  for (const name of drop) rmSync(path.join(target, name), { force: true });
  for (const { name } of install.packages) {
    rmSync(path.join(target, name), { force: true });
    mkdirSync(path.dirname(path.join(target, name)), { recursive: true });
    link(install.nodeModules, target, name);
  }
  // Commands: the project's, then the lane's over them (its `node`, its CLI).
  const bin = path.join(target, '.bin');
  mkdirSync(bin);
  for (const source of [own, install.nodeModules]) {
    const dir = path.join(source, '.bin');
    if (!existsSync(dir)) continue;
    for (const command of readdirSync(dir)) {
      const resolved = path.resolve(dir, readlinkSync(path.join(dir, command)));
      const fromDropped = drop.some((name) => resolved.startsWith(path.join(own, name) + path.sep));
      rmSync(path.join(bin, command), { force: true });
      if (!fromDropped) symlinkSync(resolved, path.join(bin, command));
    }
  }
}

function link(sourceModules: string, targetModules: string, name: string): void {
  symlinkSync(path.join(sourceModules, name), path.join(targetModules, name));
}
