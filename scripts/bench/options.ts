export interface BenchOptions {
  /** Cold-start samples per variant (fresh processes), interleaved across variants. */
  readonly runs: number;
  /** Timed warm invocations per kind (handler, raw client) in one process. */
  readonly warm: number;
  /** Requests in the memory run; RSS is compared after 100 and after this many. */
  readonly memory: number;
  /** Writes bench/results and docs/bench-cold.svg; off for --quick so smoke runs never replace real results. */
  readonly write: boolean;
  readonly quick: boolean;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  runs: 15,
  warm: 2000,
  memory: 10_000,
  write: true,
  quick: false,
};
const QUICK_OPTIONS: BenchOptions = { runs: 3, warm: 200, memory: 1000, write: false, quick: true };

export const USAGE = `npm run bench -- [--runs N] [--warm N] [--memory N] [--quick] [--write | --no-write]
  --runs N     cold-start samples per variant, interleaved (default 15)
  --warm N     timed warm invocations per kind (default 2000)
  --memory N   requests in the memory run (default 10000, at least 200)
  --quick      smoke run: 3 runs, 200 warm, 1000 memory; writes nothing unless --write`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  let options = argv.includes('--quick') ? QUICK_OPTIONS : DEFAULT_OPTIONS;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--quick':
        break;
      case '--write':
        options = { ...options, write: true };
        break;
      case '--no-write':
        options = { ...options, write: false };
        break;
      case '--runs':
      case '--warm':
      case '--memory': {
        const key = flag.slice(2) as 'runs' | 'warm' | 'memory';
        options = { ...options, [key]: positiveInteger(flag, argv[++i]) };
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
