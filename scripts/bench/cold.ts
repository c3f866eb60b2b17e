import path from 'node:path';
import { type ChildRun, parseResult, runChild } from './child';
import { assertItemResponse } from './fixture';
import type { Variant, VariantName } from './variants';

export interface ColdSample {
  /** Process start to just before the import: Node's own boot. */
  readonly bootMs?: number;
  readonly importMs?: number;
  readonly firstRequestMs?: number;
  /** Import plus first request: the cold start the function itself adds. */
  readonly coldMs?: number;
  /** Spawn to exit, measured by the parent. */
  readonly wallMs: number;
}

export interface ColdSetup {
  readonly node: string;
  /** The copy of cold-child.mjs beside the staged bundles. */
  readonly coldChild: string;
  readonly stagedEntry: (variant: VariantName) => string;
  readonly env: (variant: VariantName) => Record<string, string>;
  readonly eventJson: string;
}

interface ColdResult {
  bootMs: number;
  importMs: number;
  firstRequestMs: number;
  response: { statusCode?: number; body?: string };
}

/**
 * `runs` rounds, each starting every variant once, the order rotating round by round, so a slow
 * spell on the machine spreads across the variants instead of landing on one. A first round
 * warms the OS file cache and is discarded.
 */
export async function runColdRounds(
  variants: readonly Variant[],
  setup: ColdSetup,
  runs: number,
  onRound: (round: number) => void,
): Promise<Map<VariantName, ColdSample[]>> {
  const samples = new Map<VariantName, ColdSample[]>(variants.map((v) => [v.name, []]));
  for (let round = -1; round < runs; round++) {
    const offset = Math.max(round, 0) % variants.length;
    const order = [...variants.slice(offset), ...variants.slice(0, offset)];
    for (const variant of order) {
      const sample = await coldSample(variant, setup);
      if (round >= 0) samples.get(variant.name)?.push(sample);
    }
    if (round >= 0) onRound(round + 1);
  }
  return samples;
}

async function coldSample(variant: Variant, setup: ColdSetup): Promise<ColdSample> {
  if (!variant.entry) {
    const run = await runChild({
      node: setup.node,
      args: ['-e', '0'],
      env: setup.env(variant.name),
      cwd: '/',
    });
    assertClean(variant.name, run);
    return { wallMs: run.wallMs };
  }
  const entry = setup.stagedEntry(variant.name);
  const run = await runChild({
    node: setup.node,
    args: [...variant.nodeArgs, setup.coldChild, entry, setup.eventJson],
    env: setup.env(variant.name),
    cwd: path.dirname(entry),
  });
  const result = parseResult<ColdResult>(`${variant.name} cold start`, run);
  assertItemResponse(`${variant.name} cold start`, result.response);
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
