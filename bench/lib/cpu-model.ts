import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Lambda gives a function one vCPU at 1,769 MB and CPU in proportion to memory below that. */
export const ONE_VCPU_MB = 1769;
export const MEMORY_SIZES_MB = [128, 256, 512, 1024, 1769] as const;

/** The fraction of one CPU a function of this size gets. */
export function cpuShare(memoryMb: number): number {
  return memoryMb / ONE_VCPU_MB;
}

/** CFS bandwidth control: `quotaUs` of CPU time per `periodUs`, across all the process's threads. */
export function cpuQuotaUs(memoryMb: number, periodUs: number): number {
  const quotaUs = Math.round(periodUs * cpuShare(memoryMb));
  // The kernel refuses quotas under 1 ms.
  if (quotaUs < 1000) {
    throw new Error(
      `${memoryMb} MB over a ${periodUs / 1000} ms period is a ${quotaUs} us quota; the kernel needs at least 1 ms (use a longer --cpu-period-ms)`,
    );
  }
  return quotaUs;
}

export type CgroupHierarchy =
  | { readonly kind: 'v1'; readonly parent: string }
  | { readonly kind: 'v2'; readonly parent: string };

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

interface ProcCgroupLine {
  readonly controllers: string[];
  readonly path: string;
}

function ownCgroups(): ProcCgroupLine[] {
  return readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, controllers = '', cgroupPath = '/'] = line.split(':');
      return { controllers: controllers.split(',').filter(Boolean), path: cgroupPath };
    });
}

/** Mount points by filesystem type, from /proc/self/mountinfo. */
function mounts(fsType: string): { mountPoint: string; options: string }[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .flatMap((line) => {
      const [left, right] = line.split(' - ');
      if (!left || !right) return [];
      const [type, , superOptions = ''] = right.split(' ');
      if (type !== fsType) return [];
      return [{ mountPoint: left.split(' ')[4] ?? '', options: superOptions }];
    });
}

/**
 * Where this process may make CPU-limited groups: under its own cgroup in the v1 `cpu` hierarchy,
 * or in the v2 hierarchy where the `cpu` controller is available. Throws with the reason when
 * neither is usable.
 */
export function findCgroupHierarchy(): CgroupHierarchy {
  const own = ownCgroups();
  const v1 = mounts('cgroup').find((m) => m.options.split(',').includes('cpu'));
  if (v1) {
    const line = own.find((l) => l.controllers.includes('cpu'));
    const parent = path.join(v1.mountPoint, line?.path ?? '/');
    if (existsSync(path.join(parent, 'cpu.cfs_quota_us'))) return { kind: 'v1', parent };
  }
  const v2 = mounts('cgroup2')[0];
  if (v2) {
    // A v2 group with processes in it cannot hand controllers to children, so groups go under the
    // root, where the cpu controller can always be enabled.
    const parent = v2.mountPoint;
    const controllers = readFileSync(path.join(parent, 'cgroup.controllers'), 'utf8');
    if (controllers.split(/\s+/).includes('cpu')) return { kind: 'v2', parent };
    throw new Error(`the cgroup v2 hierarchy at ${parent} has no cpu controller (it may be bound to v1)`);
  }
  throw new Error('no cgroup v1 cpu controller and no cgroup v2 hierarchy is mounted');
}

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

/**
 * Proves the model works before the bench relies on it: a throwaway group, a child that moves
 * itself in (as the bench's children do between init and the first invoke) and reads back its
 * cgroup. Throws with what failed.
 */
export async function preflight(hierarchy: CgroupHierarchy, periodUs: number, node: string): Promise<void> {
  const groups = new CpuGroups(hierarchy, periodUs);
  try {
    const group = groups.create(ONE_VCPU_MB);
    const script = `require('fs').writeFileSync(${JSON.stringify(group.procsFile)}, String(process.pid)); process.stdout.write(require('fs').readFileSync('/proc/self/cgroup', 'utf8'))`;
    const run = spawnSync(node, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    if (run.status !== 0) throw new Error(`a process could not join ${group.dir}: ${run.stderr.trim()}`);
    if (!run.stdout.includes(path.basename(group.dir))) {
      throw new Error(`a process wrote itself into ${group.dir} but did not land there`);
    }
  } finally {
    await groups.removeAll();
  }
}

export interface CpuModel {
  /** Present when the model is on; the caller removes its groups when the bench ends. */
  readonly groups?: CpuGroups;
  readonly hierarchy?: CgroupHierarchy;
  /** One group per memory size, when the model is on. */
  readonly bySize: ReadonlyMap<number, CpuGroup>;
  /** Why the model is off, when it is. */
  readonly unavailable?: string;
}

/**
 * Sets up one CPU-limited group per memory size, or explains why it cannot: a bench without the
 * model still runs, at full CPU, and says so.
 */
export async function openCpuModel(
  options: { enabled: boolean; periodMs: number; sizes: readonly number[] },
  node: string,
  findHierarchy: () => CgroupHierarchy = findCgroupHierarchy,
): Promise<CpuModel> {
  if (!options.enabled) return { bySize: new Map(), unavailable: 'turned off with --no-cpu-model' };
  const periodUs = options.periodMs * 1000;
  let hierarchy: CgroupHierarchy;
  try {
    for (const mb of options.sizes) cpuQuotaUs(mb, periodUs);
    hierarchy = findHierarchy();
    sweepStaleGroups(hierarchy);
    await preflight(hierarchy, periodUs, node);
  } catch (error) {
    return { bySize: new Map(), unavailable: cgroupProblem(error) };
  }
  const groups = new CpuGroups(hierarchy, periodUs);
  const bySize = new Map<number, CpuGroup>();
  try {
    for (const mb of options.sizes) bySize.set(mb, groups.create(mb));
  } catch (error) {
    await groups.removeAll();
    return { bySize: new Map(), unavailable: cgroupProblem(error) };
  }
  return { groups, hierarchy, bySize };
}

function cgroupProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? ' (creating cgroups needs root, or a delegated cgroup v2 subtree with the cpu controller)'
      : '';
  return `cannot model Lambda's CPU here: ${message}${hint}`;
}
