import { loadavg } from 'node:os';
import type { BenchResult, MemorySizeResult, VariantResult } from './bench-result';
import { type ColdSample, type CpuSetting, coldKey } from './cold';
import type { CpuModel } from './cpu-model';
import { describeMachine, gitRevision } from './machine';
import type { BenchOptions } from './options';
import { evaluateTargets } from './targets';
import { computeRatios } from './variant-ratios';

/** The memory size the Lambda-model table and the targets use: the reference share. */
const REFERENCE_MB = 256;

export interface FinishedRun {
  readonly options: BenchOptions;
  readonly node: string;
  readonly loadAtStart: number;
  readonly cpu: CpuModel;
  readonly settings: readonly CpuSetting[];
  readonly cold: ReadonlyMap<string, ColdSample[]>;
  readonly variants: VariantResult[];
  readonly memorySizes: MemorySizeResult[];
}

export function assembleResult(run: FinishedRun): BenchResult {
  const { options, node, loadAtStart, cpu, settings, cold, variants, memorySizes } = run;
  const referenceMb = cpu.bySize.has(REFERENCE_MB) ? REFERENCE_MB : (options.sizes[0] ?? REFERENCE_MB);
  const byName = new Map(variants.map((v) => [v.name, v]));
  const referenceSize = memorySizes.find((m) => m.memoryMb === referenceMb);
  const rssSamples = byName.get('item-api')?.memory?.samples ?? [];
  const halfWay = rssSamples.find((s) => s.requests === Math.round(options.memory / 2));
  const end = rssSamples.at(-1);
  return {
    schema: 2,
    date: new Date().toISOString(),
    machine: describeMachine(node),
    git: gitRevision(),
    load: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    options: {
      runs: options.runs,
      warm: options.warm,
      shareWarm: options.shareWarm,
      memory: options.memory,
    },
    cpuModel: {
      enabled: !cpu.unavailable,
      reason: cpu.unavailable,
      hierarchy: cpu.hierarchy?.kind,
      periodMs: options.cpuPeriodMs,
      initAtShare: options.initAtShare,
      sizes: [...cpu.bySize.keys()],
      referenceMb,
    },
    tls: { caTrust: options.caTrust },
    variants,
    memorySizes,
    ratios: computeRatios(variants, referenceMb),
    targets: evaluateTargets({
      referenceMb,
      modelCold: (name) => byName.get(name)?.model[referenceMb],
      initSamplesAtFullCpu: (name) =>
        settings
          .filter((s) => !s.initAtShare)
          .flatMap((s) => cold.get(coldKey(name, s)) ?? [])
          .flatMap((s) => (s.importMs === undefined ? [] : [s.importMs])),
      firstRequestAtFullCpu: (name) => byName.get(name)?.cold.firstRequest,
      warmAtShare: referenceSize?.warm.raw.sdk
        ? { handler: referenceSize.warm.handler.median, sdk: referenceSize.warm.raw.sdk.median }
        : undefined,
      rss: halfWay && end ? { requests: end.requests, halfWay: halfWay.rss, end: end.rss } : undefined,
    }),
  };
}
