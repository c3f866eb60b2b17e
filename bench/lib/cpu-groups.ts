import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CgroupHierarchy } from './cgroup-hierarchy';
import { cpuQuotaUs, cpuShare } from './lambda-cpu-share';

export interface CpuGroup {
  readonly memoryMb: number;
  readonly share: number;
  readonly quotaUs: number;
  readonly periodUs: number;
  readonly dir: string;
  /** A process joins the group by writing its pid here: the bench's children do so themselves. */
  readonly procsFile: string;
}

/** Groups this run makes are named after it, so runs never collide and leftovers can be traced. */
const GROUP_PREFIX = 'item-api-bench-';

/**
 * The groups of one bench run. Every group it makes is removed by `removeAll`, which the bench
 * calls on success, failure and Ctrl-C; groups left by a run that was killed outright are swept
 * at the start of the next.
 */
export class CpuGroups {
  private readonly groups: CpuGroup[] = [];

  constructor(
    private readonly hierarchy: CgroupHierarchy,
    private readonly periodUs: number,
  ) {}

  create(memoryMb: number): CpuGroup {
    const quotaUs = cpuQuotaUs(memoryMb, this.periodUs);
    const dir = path.join(this.hierarchy.parent, `${GROUP_PREFIX}${process.pid}-${memoryMb}mb`);
    mkdirSync(dir);
    const group: CpuGroup = {
      memoryMb,
      share: cpuShare(memoryMb),
      quotaUs,
      periodUs: this.periodUs,
      dir,
      procsFile: path.join(dir, 'cgroup.procs'),
    };
    this.groups.push(group);
    if (this.hierarchy.kind === 'v1') {
      writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(this.periodUs));
      writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
    } else {
      enableV2CpuController(this.hierarchy.parent);
      writeFileSync(path.join(dir, 'cpu.max'), `${quotaUs} ${this.periodUs}`);
    }
    return group;
  }

  /**
   * Removes every group this run made; a group still holding a dying child is retried briefly.
   * Returns the groups that would not go (they stay listed for removeAllSync).
   */
  async removeAll(): Promise<string[]> {
    for (const group of [...this.groups]) {
      if (await removeGroup(group.dir)) this.groups.splice(this.groups.indexOf(group), 1);
    }
    return this.groups.map((group) => group.dir);
  }

  /** Last resort from a synchronous exit handler: no waiting, whatever can go goes. */
  removeAllSync(): void {
    for (const group of this.groups.splice(0)) tryRmdir(group.dir);
  }
}

function enableV2CpuController(parent: string): void {
  const control = path.join(parent, 'cgroup.subtree_control');
  if (!readFileSync(control, 'utf8').split(/\s+/).includes('cpu')) writeFileSync(control, '+cpu');
}

function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

async function removeGroup(dir: string): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (tryRmdir(dir)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Removes groups named after bench runs whose process no longer exists. */
export function sweepStaleGroups(hierarchy: CgroupHierarchy): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync(hierarchy.parent)) {
    const match = new RegExp(`^${GROUP_PREFIX}(\\d+)-`).exec(entry);
    if (!match || processAlive(Number(match[1]))) continue;
    const dir = path.join(hierarchy.parent, entry);
    if (tryRmdir(dir)) removed.push(dir);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
