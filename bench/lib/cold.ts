import path from 'node:path';
import { type ChildRun, parseResult, runChild } from './child';
import type { CpuGroup } from './cpu-groups';
import { assertItemResponse } from './fixture';
import type { Variant, VariantName } from './variants';

export interface ColdSample {
  /** Process start to just before the import: Node's own boot. */
  readonly bootMs?: number;
  /** The import: Lambda's init (module load and any work at module level, priming included). */
  readonly importMs?: number;
  readonly firstRequestMs?: number;
  /** Import plus first request: the cold start the function itself adds. */
  readonly coldMs?: number;
  /** Spawn to exit, measured by the parent. */
  readonly wallMs: number;
}

/** Full CPU, or a memory size's share of one CPU from the first invoke on (or from init on). */
export interface CpuSetting {
  /** 'full', or the memory size, e.g. '256 MB'. */
  readonly label: string;
  readonly memoryMb?: number;
  readonly group?: CpuGroup;
  readonly initAtShare?: boolean;
}

export const FULL_CPU: CpuSetting = { label: 'full' };

export interface ColdSetup {
  readonly node: string;
  /** The copy of cold-child.mjs beside the staged bundles. */
  readonly coldChild: string;
  readonly stagedEntry: (variant: VariantName) => string;
  readonly env: (variant: VariantName, setting: CpuSetting) => Record<string, string>;
  readonly eventJson: string;
  /** Called with each child's output: a variant can refuse a run that logged something it must not. */
  readonly checkOutput?: (variant: VariantName, tail: string) => void;
}

interface ColdResult {
  bootMs: number;
  importMs: number;
  firstRequestMs: number;
  response: { statusCode?: number; body?: string };
}

export const coldKey = (variant: VariantName, setting: CpuSetting) => `${variant}@${setting.label}`;

/**
 * `runs` rounds, each starting every variant once under every CPU setting, the order rotating
 * round by round, so a slow spell on the machine spreads across variants and settings instead of
 * landing on one. A first round at full CPU warms the OS file cache and is discarded. Bare Node
 * has no invoke, so it runs at full CPU only.
 */
export async function runColdRounds(
  variants: readonly Variant[],
  settings: readonly CpuSetting[],
  setup: ColdSetup,
  runs: number,
  onRound: (round: number) => void,
): Promise<Map<string, ColdSample[]>> {
  const pairs = variants.flatMap((variant) =>
    (variant.entry ? settings : [FULL_CPU]).map((setting) => ({ variant, setting })),
  );
  const samples = new Map<string, ColdSample[]>(pairs.map((p) => [coldKey(p.variant.name, p.setting), []]));
  for (const variant of variants) await coldSample(variant, FULL_CPU, setup);
  for (let round = 0; round < runs; round++) {
    const offset = (round * 7) % pairs.length;
    for (const { variant, setting } of [...pairs.slice(offset), ...pairs.slice(0, offset)]) {
      samples.get(coldKey(variant.name, setting))?.push(await coldSample(variant, setting, setup));
    }
    onRound(round + 1);
  }
  return samples;
}

/** One fresh process of `variant` under `setting`: its init, first request and wall time. */
export async function coldSample(
  variant: Variant,
  setting: CpuSetting,
  setup: ColdSetup,
): Promise<ColdSample> {
  if (!variant.entry) {
    const run = await runChild({
      node: setup.node,
      args: ['-e', '0'],
      env: setup.env(variant.name, setting),
      cwd: '/',
    });
    assertClean(variant.name, run);
    return { wallMs: run.wallMs };
  }
  const entry = setup.stagedEntry(variant.name);
  const label = `${variant.name} cold start (${setting.label})`;
  const model = setting.group && { procsFile: setting.group.procsFile, initAtShare: setting.initAtShare };
  const run = await runChild({
    node: setup.node,
    args: [
      ...variant.nodeArgs,
      setup.coldChild,
      entry,
      setup.eventJson,
      ...(model ? [JSON.stringify(model)] : []),
    ],
    env: setup.env(variant.name, setting),
    cwd: path.dirname(entry),
  });
  const result = parseResult<ColdResult>(label, run);
  assertItemResponse(label, result.response);
  setup.checkOutput?.(variant.name, run.tail);
  return {
    bootMs: result.bootMs,
    importMs: result.importMs,
    firstRequestMs: result.firstRequestMs,
    coldMs: result.importMs + result.firstRequestMs,
    wallMs: run.wallMs,
  };
}

function assertClean(label: string, run: ChildRun): void {
  if (run.code !== 0) throw new Error(`${label}: exited with ${run.signal ?? run.code}\n${run.tail}`);
}
