import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { REPO_ROOT } from '../../scripts/lib/paths';

export interface Machine {
  readonly host: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly arch: string;
  /** The Node the variants ran on (the bench itself may run on another). */
  readonly node: string;
}

export function describeMachine(node22: string): Machine {
  const cpus = os.cpus();
  return {
    host: shortHost(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    node: execFileSync(node22, ['--version'], { encoding: 'utf8' }).trim(),
  };
}

/** A file-name-safe short host name, so results from several machines sit side by side. */
export function shortHost(): string {
  return (os.hostname().split('.')[0] ?? 'host').toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'host';
}

/** Which code was measured; a dirty tree is flagged rather than refused, since benching WIP is normal. */
export function gitRevision(): { commit: string; dirty: boolean } | undefined {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain') !== '' };
  } catch {
    return undefined;
  }
}
