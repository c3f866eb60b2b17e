import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ColdSample } from './cold';
import { type CostPerMillion, PRICES } from './cost';
import type { Machine } from './machine';
import type { BenchOptions, CaTrust } from './options';
import { ratio, round, type Summary, summarize } from './stats';
import { coldChartSvg } from './svg';
import { formatTable } from './table';
import { formatTargets, type TargetResult } from './targets';
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
  /** Every phase at full CPU. */
  readonly cold: ColdResult;
  /** Under the Lambda CPU model, by memory size in MB: init at full CPU, the invoke at the share. */
  readonly model: Readonly<Record<string, ColdResult>>;
  readonly warm?: WarmResult;
  readonly memory?: MemoryResult;
}

/** item-api at one memory size: what choosing the size is decided from. */
export interface MemorySizeResult {
  readonly memoryMb: number;
  /** Fraction of one CPU. */
  readonly share: number;
  readonly cold?: ColdResult;
  /** Back-to-back requests at the share, the handler alternating with the raw SDK call. */
  readonly warm: WarmResult;
  readonly cost: CostPerMillion;
}

export interface CpuModelInfo {
  readonly enabled: boolean;
  /** Why the model is off, when it is. */
  readonly reason?: string;
  readonly hierarchy?: 'v1' | 'v2';
  readonly periodMs: number;
  readonly initAtShare: boolean;
  readonly sizes: readonly number[];
  /** The size the Lambda-model table and the targets use. */
  readonly referenceMb: number;
}

export interface BenchResult {
  readonly schema: 2;
  readonly date: string;
  readonly machine: Machine;
  readonly git?: { commit: string; dirty: boolean };
  /** 1-minute load average when the bench started and ended: high load means noisy absolute times. */
  readonly load: { readonly start: number; readonly end: number };
  readonly options: Pick<BenchOptions, 'runs' | 'warm' | 'shareWarm' | 'memory'>;
  readonly cpuModel: CpuModelInfo;
  readonly tls: { readonly caTrust: CaTrust };
  readonly variants: readonly VariantResult[];
  readonly memorySizes: readonly MemorySizeResult[];
  /** Median over median, per variant: what the README quotes. */
  readonly ratios: {
    readonly coldVsAwsLite: Partial<Record<VariantName, number>>;
    readonly modelColdVsAwsLite: Partial<Record<VariantName, number>>;
    readonly wallVsAwsLite: Partial<Record<VariantName, number>>;
    readonly coldVsTypical: Partial<Record<VariantName, number>>;
    readonly warmOverheadVsSdk: Partial<Record<VariantName, number>>;
  };
  readonly targets: readonly TargetResult[];
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

export function computeRatios(
  variants: readonly VariantResult[],
  referenceMb: number,
): BenchResult['ratios'] {
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
    modelColdVsAwsLite: against(REFERENCE, (v) => v.model[referenceMb]?.cold?.median),
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
const dollars = (value: number) => `$${value.toFixed(4)}`;

export function formatReport(result: BenchResult): string {
  const { machine, load } = result;
  const header = `item-api bench · ${result.date.slice(0, 10)} · ${machine.cpu}, ${machine.cores} cores · Node ${machine.node} ${machine.arch}${result.git ? ` · ${result.git.commit}${result.git.dirty ? '+dirty' : ''}` : ''}`;
  const busy = Math.max(load.start, load.end) > machine.cores / 2;
  return [
    header,
    ...(busy
      ? [
          `warning: load average ${load.start.toFixed(1)} -> ${load.end.toFixed(1)} on ${machine.cores} cores; absolute times are noisy, ratios less so`,
        ]
      : []),
    describeModel(result),
    `DynamoDB: dynalite over HTTPS with a certificate made for this run, trusted through ${result.tls.caTrust === 'extra-ca' ? 'NODE_EXTRA_CA_CERTS' : "OpenSSL's store (--use-openssl-ca)"}.`,
    ...(result.cpuModel.enabled ? ['', ...modelSection(result), '', ...memorySizeSection(result)] : []),
    '',
    ...fullCpuSection(result),
    '',
    'Targets (issue 10), from this run:',
    ...formatTargets(result.targets),
  ].join('\n');
}

function describeModel(result: BenchResult): string {
  const model = result.cpuModel;
  if (!model.enabled) return `Lambda CPU model: off (${model.reason}); every phase ran at full CPU.`;
  return `Lambda CPU model: cgroup ${model.hierarchy} CPU quota over a ${model.periodMs} ms period; init at ${model.initAtShare ? 'the memory share (--init-at-share)' : 'full CPU'}, every invoke at memory/1769 of one CPU.`;
}

function modelSection(result: BenchResult): string[] {
  const mb = result.cpuModel.referenceMb;
  const table = formatTable(
    ['variant', 'init ms', '1st req ms', 'p90', 'init+1st', 'p90', `vs aws-lite`, 'process ms'],
    result.variants.map((v) => {
      const cold = v.model[mb] ?? v.cold;
      return [
        v.name,
        f1(cold.import?.median),
        f1(cold.firstRequest?.median),
        f1(cold.firstRequest?.p90),
        f1(cold.cold?.median),
        f1(cold.cold?.p90),
        times(result.ratios.modelColdVsAwsLite[v.name]),
        f1(cold.wall.median),
      ];
    }),
  );
  const sizes = result.cpuModel.sizes;
  const bySize = formatTable(
    ['init + 1st request, median ms', ...sizes.map((s) => `${s} MB`), 'full CPU'],
    result.variants
      .filter((v) => v.cold.cold)
      .map((v) => [v.name, ...sizes.map((s) => f1(v.model[s]?.cold?.median)), f1(v.cold.cold?.median)]),
  );
  const firstBySize = formatTable(
    ['1st request alone, median ms', ...sizes.map((s) => `${s} MB`), 'full CPU'],
    result.variants
      .filter((v) => v.cold.cold)
      .map((v) => [
        v.name,
        ...sizes.map((s) => f1(v.model[s]?.firstRequest?.median)),
        f1(v.cold.firstRequest?.median),
      ]),
  );
  return [
    `Lambda model at ${mb} MB (${(mb / 1769).toFixed(3)} of a CPU): median of ${result.options.runs} fresh processes per variant, interleaved.`,
    table,
    '',
    bySize,
    '',
    firstBySize,
  ];
}

function memorySizeSection(result: BenchResult): string[] {
  const table = formatTable(
    [
      'item-api',
      'CPU',
      'init+1st ms',
      '1st req',
      'warm p50',
      'p99',
      'raw SDK p50',
      'handler/SDK',
      'billed ms',
      '$ per 1M req',
    ],
    result.memorySizes.map((m) => [
      `${m.memoryMb} MB`,
      m.share.toFixed(3),
      f1(m.cold?.cold?.median),
      f1(m.cold?.firstRequest?.median),
      f3(m.warm.handler.median),
      f3(m.warm.handler.p99),
      f3(m.warm.raw.sdk?.median),
      times(m.warm.raw.sdk?.overhead),
      m.warm.handlerBilledMs.toFixed(2),
      dollars(m.cost.total),
    ]),
  );
  return [
    `Memory size (item-api): warm = ${result.options.shareWarm} requests per kind at the share, each after an idle CPU period, in blocks alternating with the raw SDK call.`,
    `Cost per million: Lambda arm64 duration (billed ms, rounded up per request) + requests + 1% cold starts billed at init + API Gateway REST; ${PRICES.source}.`,
    table,
  ];
}

function fullCpuSection(result: BenchResult): string[] {
  const { options, ratios } = result;
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
    result.variants.flatMap((v) => {
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
    }),
  );
  const memory = result.variants.flatMap((v) => {
    if (!v.memory) return [];
    const { samples, early, late } = v.memory;
    const curve = (key: 'rss' | 'heapUsed') =>
      samples.map((s) => `${(s[key] / 2 ** 20).toFixed(1)}`).join(' -> ');
    return [
      `  ${v.name.padEnd(17)} RSS ${curve('rss')} MiB (${signedMib(v.memory.rssDelta)}); ` +
        `peak ${mib(early.maxRss)} -> ${mib(late.maxRss)} (${signedMib(v.memory.maxRssDelta)}); ` +
        `heap ${curve('heapUsed')} MiB`,
    ];
  });
  return [
    `Full CPU, every phase: median of ${options.runs} fresh processes per variant. cold = import + first request (in-process);`,
    'boot = process start to import; process = spawn to exit, measured outside.',
    cold,
    '',
    `Warm at full CPU: ${options.warm} sequential in-process invocations per kind, alternating blocks; ms per request.`,
    warm,
    '',
    `Memory at ${checkpointsText(result)} requests, each after a full GC (full CPU).`,
    ...memory,
  ];
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

/** The cold-start chart: under the Lambda model at the reference size, or at full CPU without it. */
export function writeChart(result: BenchResult, file: string): string {
  const { machine, options, cpuModel } = result;
  const mb = cpuModel.referenceMb;
  const cold = (v: VariantResult) => (cpuModel.enabled ? (v.model[mb] ?? v.cold) : v.cold);
  const ratios = cpuModel.enabled ? result.ratios.modelColdVsAwsLite : result.ratios.coldVsAwsLite;
  const svg = coldChartSvg(
    result.variants.map((v) => ({
      label: v.name,
      coldMs: cold(v).cold?.median,
      importMs: cold(v).import?.median,
      firstRequestMs: cold(v).firstRequest?.median,
      wallMs: cold(v).wall.median,
      note:
        v.name === REFERENCE || ratios[v.name] === undefined
          ? undefined
          : `${ratios[v.name]?.toFixed(2)}× aws-lite`,
    })),
    cpuModel.enabled
      ? {
          title: `Cold start as Lambda runs it at ${mb} MB: init at full CPU, first GetItem at ${(mb / 1769).toFixed(3)} CPU`,
          subtitle: `median of ${options.runs} interleaved runs, lower is better · Node ${machine.node} ${machine.arch}, ${machine.cores} cores · ${result.date.slice(0, 10)} · dynalite over TLS · ${cpuModel.periodMs} ms CPU period`,
          legend: {
            import: 'init (import, priming) at full CPU',
            request: `first request at the ${mb} MB share`,
            wall: 'whole process, spawn to exit',
          },
        }
      : {
          title: 'Cold start: import + first GetItem, median ms (lower is better)',
          subtitle: `Node ${machine.node} ${machine.arch} · ${machine.cpu}, ${machine.cores} cores · ${result.date.slice(0, 10)} · ${options.runs} interleaved runs per variant · dynalite over TLS · full CPU`,
        },
  );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, svg);
  return file;
}
