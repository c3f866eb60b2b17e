import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LaneResult } from './lanes';
import type { Machine } from './machine';
import { f1, f3, kib, times } from './report-number-format';
import { ratio, round } from './stats';
import { formatTable } from './table';

export interface LaneBenchResult {
  readonly schema: 1;
  readonly date: string;
  readonly machine: Machine;
  readonly git?: { commit: string; dirty: boolean };
  readonly load: { readonly start: number; readonly end: number };
  readonly options: { runs: number; warm: number; shareWarm: number; cpuPeriodMs: number; cpuModel: string };
  readonly lanes: readonly LaneResult[];
}

type Row = [
  label: string,
  pick: (lane: LaneResult) => number | undefined,
  format: (v: number | undefined) => string,
  /** False for counts, whose ratio means nothing. */
  compare?: boolean,
];

function rows(settings: readonly string[]): Row[] {
  const shares = settings.filter((s) => s !== 'full');
  return [
    ...shares.flatMap((s): Row[] => [
      [`${s}: init + first request`, (l) => l.cold[s]?.cold?.median, f1],
      [`${s}: init`, (l) => l.cold[s]?.import?.median, f1],
      [`${s}: first request`, (l) => l.cold[s]?.firstRequest?.median, f1],
    ]),
    ['full CPU: init + first request', (l) => l.cold.full?.cold?.median, f1],
    ['full CPU: process start to exit', (l) => l.cold.full?.wall.median, f1],
    ...settings.map(
      (s): Row => [`warm at ${s === 'full' ? 'full CPU' : s}: handler`, (l) => l.warm[s]?.handler.median, f3],
    ),
    ...settings.map(
      (s): Row => [
        `warm at ${s === 'full' ? 'full CPU' : s}: handler / raw SDK`,
        (l) => l.warm[s]?.raw.sdk?.overhead,
        times,
      ],
    ),
    ...settings.map(
      (s): Row => [
        `${s === 'full' ? 'full CPU' : s}: cold starts left out (priming gave up)`,
        (l) => l.primingSkipped?.[s] ?? 0,
        (v) => String(v ?? 0),
        false,
      ],
    ),
    ['bundle KiB (raw)', (l) => l.bundle.bytes, kib],
    ['bundle KiB (gzip)', (l) => l.bundle.gzipBytes, kib],
  ];
}

/** One table: a column per lane, medians in ms, and the last lane over the first. */
export function formatLaneComparison(result: LaneBenchResult): string {
  const [first, ...others] = result.lanes;
  if (!first) return 'no lanes measured';
  const settings = Object.keys(first.cold);
  const headers = [
    'median ms',
    ...result.lanes.map((l) => `${l.runtime} (Node ${l.nodeVersion}, ${l.esbuildTarget} build)`),
    ...others.map((l) => `${l.runtime.replace('.x', '')} / ${first.runtime.replace('.x', '')}`),
  ];
  const table = formatTable(
    headers,
    rows(settings).map(([label, pick, format, compare = true]) => {
      const base = pick(first);
      return [
        label,
        ...result.lanes.map((l) => format(pick(l))),
        ...others.map((l) => {
          const value = pick(l);
          return !compare || value === undefined || base === undefined || base === 0
            ? '-'
            : times(ratio(value, base));
        }),
      ];
    }),
  );
  return [
    `Lanes (${result.lanes.map((l) => l.name).join(' vs ')}): the deployed handler built for each lane's target and run on its Node; ${result.options.runs} interleaved cold starts per lane and setting; CPU model: ${result.options.cpuModel}.`,
    table,
  ].join('\n');
}

/** bench/results/lanes.json, committed like latest.json. */
export function writeLaneResults(result: LaneBenchResult, resultsDir: string): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, 'lanes.json');
  const text = JSON.stringify(
    result,
    (_key, value) => (typeof value === 'number' && !Number.isInteger(value) ? round(value) : value),
    2,
  );
  writeFileSync(file, `${text}\n`);
  return file;
}
