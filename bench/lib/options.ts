import { checkMemoryMb } from '#shared/rules';
import { MEMORY_SIZES_MB } from './lambda-cpu-share';

/** How the functions come to trust the run's own certificate authority (see bench/README.md). */
export type CaTrust = 'extra-ca' | 'openssl-store';

export interface BenchOptions {
  /** Cold-start samples per variant and CPU setting (fresh processes), interleaved. */
  readonly runs: number;
  /** Timed warm invocations per kind (handler, raw client) in one process, at full CPU. */
  readonly warm: number;
  /** Timed warm invocations per kind at each memory size's CPU share. */
  readonly shareWarm: number;
  /** Requests in the memory run; RSS is compared after 100 and after this many. */
  readonly memory: number;
  /** Model Lambda's CPU with cgroup quotas: init at full CPU, invokes at the memory's share. */
  readonly cpuModel: boolean;
  /** Run init at the share too: the worst case, if Lambda's init burst were ever removed. */
  readonly initAtShare: boolean;
  /** The CFS period the quota is spread over; Lambda's is not documented. */
  readonly cpuPeriodMs: number;
  readonly sizes: readonly number[];
  readonly caTrust: CaTrust;
  /** Writes bench/results and the charts; off for --quick so smoke runs never replace real results. */
  readonly write: boolean;
  readonly quick: boolean;
  /** The toolchain lanes side by side (bench/lib/lanes-run.ts) instead of the variants. */
  readonly lanes: boolean;
}

/** The memory sizes the lane comparison runs at unless --sizes says otherwise. */
const LANE_SIZES_MB = [256, 512];

export const DEFAULT_OPTIONS: BenchOptions = {
  runs: 15,
  warm: 2000,
  shareWarm: 500,
  memory: 10_000,
  cpuModel: true,
  initAtShare: false,
  cpuPeriodMs: 20,
  sizes: MEMORY_SIZES_MB,
  caTrust: 'extra-ca',
  write: true,
  quick: false,
  lanes: false,
};
const QUICK_OPTIONS: BenchOptions = {
  ...DEFAULT_OPTIONS,
  runs: 3,
  warm: 200,
  shareWarm: 100,
  memory: 1000,
  write: false,
  quick: true,
};

export const USAGE = `npm run bench -- [options]
  --runs N            cold-start samples per variant and CPU setting, interleaved (default 15)
  --warm N            timed warm invocations per kind at full CPU (default 2000)
  --share-warm N      timed warm invocations per kind at each memory size's CPU share (default 500)
  --memory N          requests in the memory run (default 10000, at least 200)
  --sizes A,B,...     memory sizes in MB for the Lambda CPU model (default ${MEMORY_SIZES_MB.join(',')})
  --no-cpu-model      run everything at full CPU (the model needs a writable cgroup cpu controller)
  --init-at-share     run init at the memory's CPU share too, not at full CPU (the worst case)
  --cpu-period-ms N   CFS period of the CPU quota, 14 to 1000 (default 20)
  --ca-trust MODE     extra-ca (NODE_EXTRA_CA_CERTS, default) or openssl-store (see bench/README.md)
  --lanes             the toolchain lanes instead of the variants: the deployed handler on Node 22 and
                      on Node 24, each built for its lane (shared/toolchain.ts); sizes default to 256,512
  --quick             smoke run: 3 runs, 200 warm, 100 at each share, 1000 memory; writes nothing unless --write
  --write | --no-write`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  let options = argv.includes('--quick') ? QUICK_OPTIONS : DEFAULT_OPTIONS;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--quick':
        break;
      case '--lanes':
        options = {
          ...options,
          lanes: true,
          sizes: argv.includes('--sizes') ? options.sizes : LANE_SIZES_MB,
        };
        break;
      case '--write':
      case '--no-write':
        options = { ...options, write: flag === '--write' };
        break;
      case '--no-cpu-model':
        options = { ...options, cpuModel: false };
        break;
      case '--init-at-share':
        options = { ...options, initAtShare: true };
        break;
      case '--runs':
      case '--warm':
      case '--memory':
        options = {
          ...options,
          [flag.slice(2) as 'runs' | 'warm' | 'memory']: positiveInteger(flag, argv[++i]),
        };
        break;
      case '--share-warm':
        options = { ...options, shareWarm: positiveInteger(flag, argv[++i]) };
        break;
      case '--cpu-period-ms': {
        const value = positiveInteger(flag, argv[++i]);
        if (value < 14 || value > 1000) throw new Error(`${flag} must be within 14 to 1000, got ${value}`);
        options = { ...options, cpuPeriodMs: value };
        break;
      }
      case '--sizes':
        options = { ...options, sizes: memorySizes(argv[++i]) };
        break;
      case '--ca-trust': {
        const mode = argv[++i];
        if (mode !== 'extra-ca' && mode !== 'openssl-store') {
          throw new Error(`${flag} is extra-ca or openssl-store, got ${mode}`);
        }
        options = { ...options, caTrust: mode };
        break;
      }
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (options.memory < 200) throw new Error(`--memory must be at least 200 (RSS is first sampled after 100)`);
  return options;
}

function positiveInteger(flag: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer, got ${raw}`);
  return value;
}

/** Memory sizes Lambda accepts, comma-separated. */
function memorySizes(raw: string | undefined): number[] {
  const sizes = (raw ?? '').split(',').map((part) => Number(part.trim()));
  const problem = sizes.map(checkMemoryMb).find((p) => p !== undefined);
  if (problem !== undefined) throw new Error(`--sizes takes comma-separated memory sizes; each ${problem}`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}
