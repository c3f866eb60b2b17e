import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type CgroupHierarchy =
  | { readonly kind: 'v1'; readonly parent: string }
  | { readonly kind: 'v2'; readonly parent: string };

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
