import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ColdSample } from './cold';
import type { Machine } from './machine';
import type { BenchOptions } from './options';
import { ratio, round, type Summary, summarize } from './stats';
import { coldChartSvg } from './svg';
import { formatTable } from './table';
import type { BundleSize, VariantName } from './variants';
import type { MemoryResult, WarmResult } from './warm';

export interface ColdResult {
  /** Import plus first request; absent for bare Node. */
  readonly cold?: Summary;
  readonly import?: Summary;
  readonly firstRequest?: Summary;
  readonly boot?: Summary;
  readonly wall: Summary;
  readonly samples: readonly ColdSample[];
}

export interface VariantResult {
  readonly name: VariantName;
  readonly description: string;
  readonly nodeArgs: readonly string[];
  readonly bundle?: BundleSize;
  readonly cold: ColdResult;
  readonly warm?: WarmResult;
  readonly memory?: MemoryResult;
}

export interface BenchResult {
  readonly schema: 1;
  readonly date: string;
  readonly machine: Machine;
  readonly git?: { commit: string; dirty: boolean };
  /** 1-minute load average when the bench started and ended: high load means noisy absolute times. */
  readonly load: { readonly start: number; readonly end: number };
  readonly options: Pick<BenchOptions, 'runs' | 'warm' | 'memory'>;
  readonly variants: readonly VariantResult[];
  /** Median over median, per variant: what the README quotes. */
  readonly ratios: {
    readonly coldVsAwsLite: Partial<Record<VariantName, number>>;
    readonly wallVsAwsLite: Partial<Record<VariantName, number>>;
    readonly coldVsTypical: Partial<Record<VariantName, number>>;
    readonly warmOverheadVsSdk: Partial<Record<VariantName, number>>;
  };
}

const REFERENCE: VariantName = 'aws-lite';

export function summarizeCold(samples: readonly ColdSample[]): ColdResult {
  const pick = (key: keyof ColdSample) => {
    const values = samples.flatMap((s) => (s[key] === undefined ? [] : [s[key]]));
    return values.length > 0 ? summarize(values) : undefined;
  };
  return {
    cold: pick('coldMs'),
    import: pick('importMs'),
    firstRequest: pick('firstRequestMs'),
    boot: pick('bootMs'),
    wall: summarize(samples.map((s) => s.wallMs)),
    samples,
  };
}

export function computeRatios(variants: readonly VariantResult[]): BenchResult['ratios'] {
  const byName = new Map(variants.map((v) => [v.name, v]));
  const against = (reference: VariantName, metric: (v: VariantResult) => number | undefined) => {
    const base = byName.get(reference);
    const baseValue = base && metric(base);
    const out: Partial<Record<VariantName, number>> = {};
    if (baseValue === undefined) return out;
    for (const v of variants) {
      const value = metric(v);
      if (value !== undefined) out[v.name] = ratio(value, baseValue);
    }
    return out;
  };
  const warmOverheadVsSdk: Partial<Record<VariantName, number>> = {};
  for (const v of variants) if (v.warm?.raw.sdk) warmOverheadVsSdk[v.name] = v.warm.raw.sdk.overhead;
  return {
    coldVsAwsLite: against(REFERENCE, (v) => v.cold.cold?.median),
    wallVsAwsLite: against(REFERENCE, (v) => v.cold.wall.median),
    coldVsTypical: against('typical', (v) => v.cold.cold?.median),
    warmOverheadVsSdk,
  };
}

const f1 = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));
const f3 = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(3));
const times = (value: number | undefined) => (value === undefined ? '-' : `${value.toFixed(2)}x`);
const kib = (bytes: number | undefined) => (bytes === undefined ? '-' : (bytes / 1024).toFixed(1));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const signedMib = (bytes: number) => `${bytes >= 0 ? '+' : '-'}${(Math.abs(bytes) / 2 ** 20).toFixed(2)} MiB`;

export function formatReport(result: BenchResult): string {
  const { machine, options, ratios } = result;
  const header = `item-api bench · ${result.date.slice(0, 10)} · ${machine.cpu}, ${machine.cores} cores · Node ${machine.node} ${machine.arch}${result.git ? ` · ${result.git.commit}${result.git.dirty ? '+dirty' : ''}` : ''}`;
  const cold = formatTable(
    [
      'variant',
      'cold ms',
      'p90',
      'vs aws-lite',
      'import ms',
      '1st req ms',
      'boot ms',
      'process ms',
      'vs aws-lite',
      'KiB raw',
      'KiB gzip',
    ],
    result.variants.map((v) => [
      v.name,
      f1(v.cold.cold?.median),
      f1(v.cold.cold?.p90),
      times(ratios.coldVsAwsLite[v.name]),
      f1(v.cold.import?.median),
      f1(v.cold.firstRequest?.median),
      f1(v.cold.boot?.median),
      f1(v.cold.wall.median),
      times(ratios.wallVsAwsLite[v.name]),
      kib(v.bundle?.bytes),
      kib(v.bundle?.gzipBytes),
    ]),
  );
  const warmRows = result.variants.flatMap((v) => {
    if (!v.warm) return [];
    const { handler, raw } = v.warm;
    return [
      [
        v.name,
        f3(handler.median),
        f3(handler.p99),
        f3(raw.sdk?.median),
        f3(raw.sdk?.p99),
        times(raw.sdk?.overhead),
        f3(raw['aws-lite']?.median),
        times(raw['aws-lite']?.overhead),
      ],
    ];
  });
  const warm = formatTable(
    [
      'variant',
      'handler med',
      'p99',
      'raw SDK med',
      'p99',
      'handler/SDK',
      'raw aws-lite med',
      'handler/aws-lite',
    ],
    warmRows,
  );
  const memory = result.variants.flatMap((v) => {
    if (!v.memory) return [];
    const { samples, early, late } = v.memory;
    const curve = (key: 'rss' | 'heapUsed') =>
      samples.map((s) => `${(s[key] / 2 ** 20).toFixed(1)}`).join(' -> ');
    return [
      `  ${v.name.padEnd(9)} RSS ${curve('rss')} MiB (${signedMib(v.memory.rssDelta)}); ` +
        `peak ${mib(early.maxRss)} -> ${mib(late.maxRss)} (${signedMib(v.memory.maxRssDelta)}); ` +
        `heap ${curve('heapUsed')} MiB`,
    ];
  });
  const busy = Math.max(result.load.start, result.load.end) > machine.cores / 2;
  return [
    header,
    ...(busy
      ? [
          `warning: load average ${result.load.start.toFixed(1)} -> ${result.load.end.toFixed(1)} on ${machine.cores} cores; absolute times are noisy, ratios less so`,
        ]
      : []),
    '',
    `Cold start: median of ${options.runs} fresh processes per variant, interleaved. cold = import + first request (in-process);`,
    'boot = process start to import; process = spawn to exit, measured outside.',
    cold,
    '',
    `Warm: ${options.warm} sequential in-process invocations per kind, alternating blocks; ms per request.`,
    warm,
    '',
    `Memory at ${checkpointsText(result)} requests, each after a full GC.`,
    ...memory,
  ].join('\n');
}

function checkpointsText(result: BenchResult): string {
  const samples = result.variants.find((v) => v.memory)?.memory?.samples ?? [];
  return samples.map((s) => s.requests).join(' / ');
}

/** Rounds every fractional number: microseconds are below the noise and bloat the diff. */
function jsonText(result: BenchResult): string {
  return `${JSON.stringify(result, (_key, value) => (typeof value === 'number' && !Number.isInteger(value) ? round(value) : value), 2)}\n`;
}

export function writeResults(result: BenchResult, resultsDir: string): string[] {
  mkdirSync(resultsDir, { recursive: true });
  const text = jsonText(result);
  const dated = path.join(resultsDir, `${result.date.slice(0, 10)}-${result.machine.host}.json`);
  const latest = path.join(resultsDir, 'latest.json');
  writeFileSync(dated, text);
  writeFileSync(latest, text);
  return [dated, latest];
}

export function writeChart(result: BenchResult, file: string): string {
  const { machine, options } = result;
  const svg = coldChartSvg(
    result.variants.map((v) => ({
      label: v.name,
      coldMs: v.cold.cold?.median,
      importMs: v.cold.import?.median,
      firstRequestMs: v.cold.firstRequest?.median,
      wallMs: v.cold.wall.median,
      note:
        v.name === REFERENCE || result.ratios.coldVsAwsLite[v.name] === undefined
          ? undefined
          : `${result.ratios.coldVsAwsLite[v.name]?.toFixed(2)}× aws-lite`,
    })),
    {
      title: 'Cold start: import + first GetItem, median ms (lower is better)',
      subtitle: `Node ${machine.node} ${machine.arch} · ${machine.cpu}, ${machine.cores} cores · ${result.date.slice(0, 10)} · ${options.runs} interleaved runs per variant · local dynalite`,
    },
  );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, svg);
  return file;
}
