import type { ColdSample } from './cold';
import type { CostPerMillion } from './cost';
import type { Machine } from './machine';
import type { BenchOptions, CaTrust } from './options';
import type { Summary } from './stats';
import type { TargetResult } from './targets';
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
  /** Median over median, per variant: what docs/performance.md quotes. */
  readonly ratios: {
    readonly coldVsAwsLite: Partial<Record<VariantName, number>>;
    readonly modelColdVsAwsLite: Partial<Record<VariantName, number>>;
    readonly wallVsAwsLite: Partial<Record<VariantName, number>>;
    readonly coldVsTypical: Partial<Record<VariantName, number>>;
    readonly warmOverheadVsSdk: Partial<Record<VariantName, number>>;
  };
  readonly targets: readonly TargetResult[];
}
