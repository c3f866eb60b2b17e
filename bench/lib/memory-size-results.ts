import type { MemorySizeResult, VariantResult } from './bench-result';
import { costPerMillion } from './cost';
import type { CpuModel } from './cpu-model';
import { cpuShare } from './lambda-cpu-share';
import { VARIANTS } from './variants';
import { type InProcessSetup, runWarm } from './warm';

export async function measureMemorySizes(
  cpu: CpuModel,
  variants: readonly VariantResult[],
  inProcess: InProcessSetup,
  shareWarm: number,
  log: (line: string) => void,
): Promise<MemorySizeResult[]> {
  const itemApi = VARIANTS.find((v) => v.name === 'item-api');
  const itemApiResult = variants.find((v) => v.name === 'item-api');
  const memorySizes: MemorySizeResult[] = [];
  for (const [mb, group] of cpu.bySize) {
    if (!itemApi || !itemApiResult) break;
    log(
      `warm at ${mb} MB: item-api, ${shareWarm} requests per kind at ${cpuShare(mb).toFixed(3)} of a CPU...`,
    );
    const warm = await runWarm(itemApi, inProcess, shareWarm, group);
    const modelCold = itemApiResult.model[mb];
    memorySizes.push({
      memoryMb: mb,
      share: cpuShare(mb),
      cold: modelCold,
      warm,
      cost: costPerMillion({
        memoryMb: mb,
        billedMs: warm.handlerBilledMs,
        initMs: modelCold?.import?.median ?? 0,
      }),
    });
  }
  return memorySizes;
}
