import type { BenchResult, VariantResult } from './bench-result';
import { ratio } from './stats';
import type { VariantName } from './variants';

export const REFERENCE_VARIANT: VariantName = 'aws-lite';

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
    coldVsAwsLite: against(REFERENCE_VARIANT, (v) => v.cold.cold?.median),
    modelColdVsAwsLite: against(REFERENCE_VARIANT, (v) => v.model[referenceMb]?.cold?.median),
    wallVsAwsLite: against(REFERENCE_VARIANT, (v) => v.cold.wall.median),
    coldVsTypical: against('typical', (v) => v.cold.cold?.median),
    warmOverheadVsSdk,
  };
}
