import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { type CgroupHierarchy, findCgroupHierarchy } from './cgroup-hierarchy';
import { type CpuGroup, CpuGroups, sweepStaleGroups } from './cpu-groups';
import { cpuQuotaUs, ONE_VCPU_MB } from './lambda-cpu-share';

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
