import type { ColdResult, VariantResult } from './bench-result';
import { type ColdSample, type CpuSetting, coldKey, FULL_CPU } from './cold';
import { summarizeCold } from './cold-summary';
import type { BenchOptions } from './options';
import { type BundleSize, VARIANTS, type VariantName } from './variants';
import { type InProcessSetup, runMemory, runWarm } from './warm';

export interface VariantRun {
  readonly inProcess: InProcessSetup;
  readonly cold: ReadonlyMap<string, ColdSample[]>;
  readonly settings: readonly CpuSetting[];
  readonly sizes: ReadonlyMap<VariantName, BundleSize>;
  readonly options: Pick<BenchOptions, 'warm' | 'memory'>;
}

export async function measureVariants(
  run: VariantRun,
  log: (line: string) => void,
): Promise<VariantResult[]> {
  const { inProcess, cold, settings, sizes, options } = run;
  const variants: VariantResult[] = [];
  for (const variant of VARIANTS) {
    let warm: VariantResult['warm'];
    let memory: VariantResult['memory'];
    if (variant.entry && variant.rawClients.length > 0) {
      log(`warm: ${variant.name}, ${options.warm} requests per kind at full CPU...`);
      warm = await runWarm(variant, inProcess, options.warm);
      log(`memory: ${variant.name}, ${options.memory} requests...`);
      memory = await runMemory(variant, inProcess, options.memory);
    }
    const model: Record<string, ColdResult> = {};
    for (const setting of settings) {
      const samples = cold.get(coldKey(variant.name, setting));
      if (setting.memoryMb && samples?.length) model[setting.memoryMb] = summarizeCold(samples);
    }
    variants.push({
      name: variant.name,
      description: variant.description,
      nodeArgs: variant.nodeArgs,
      bundle: sizes.get(variant.name),
      cold: summarizeCold(cold.get(coldKey(variant.name, FULL_CPU)) ?? []),
      model,
      warm,
      memory,
    });
  }
  return variants;
}
