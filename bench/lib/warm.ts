import path from 'node:path';
import { parseResult, runChild } from './child';
import { meanBilledMs } from './cost';
import type { CpuGroup } from './cpu-groups';
import { assertItemResponse } from './fixture';
import { ratio, type Summary, summarize } from './stats';
import type { RawClient, Variant, VariantName } from './variants';

export const WARM_CHILD = path.join(__dirname, 'warm-child.mjs');

export interface InProcessSetup {
  readonly node: string;
  readonly stagedEntry: (variant: VariantName) => string;
  /** The function's environment, for a memory size (the default when absent). */
  readonly env: (variant: VariantName, memoryMb?: number) => Record<string, string>;
  /** Event, ids, table and endpoint, passed to the child as JSON. */
  readonly childConfig: Record<string, unknown>;
}

export interface WarmResult {
  readonly handler: Summary;
  /** Lambda bills each invoke rounded up to the next ms: the mean of that over the handler's samples. */
  readonly handlerBilledMs: number;
  /** One summary per raw client, and the handler's median over it. */
  readonly raw: Partial<Record<RawClient, Summary & { overhead: number }>>;
}

/** At full CPU, or with `group`, at that memory size's CPU share from the first timed request on. */
export async function runWarm(
  variant: Variant,
  setup: InProcessSetup,
  count: number,
  group?: CpuGroup,
): Promise<WarmResult> {
  const entry = setup.stagedEntry(variant.name);
  const run = await runChild({
    node: setup.node,
    args: [
      ...variant.nodeArgs,
      WARM_CHILD,
      'warm',
      entry,
      JSON.stringify({
        ...setup.childConfig,
        rawClients: variant.rawClients,
        procsFile: group?.procsFile,
        // Idle for a whole CPU period between requests, so each starts with its quota refilled.
        gapMs: group ? Math.ceil(group.periodUs / 1000) : 0,
        count,
        warmup: Math.min(200, Math.max(20, Math.round(count / 10))),
        blockSize: Math.min(100, count),
      }),
    ],
    env: setup.env(variant.name, group?.memoryMb),
    cwd: path.dirname(entry),
    timeoutMs: 900_000,
  });
  const label = `${variant.name} warm${group ? ` at ${group.memoryMb} MB` : ''}`;
  const result = parseResult<{ status: number; body: string; samples: Record<string, number[]> }>(label, run);
  assertItemResponse(label, { statusCode: result.status, body: result.body });
  const handlerSamples = result.samples.handler ?? [];
  const handler = summarize(handlerSamples);
  const raw: WarmResult['raw'] = {};
  for (const client of variant.rawClients) {
    const summary = summarize(result.samples[client] ?? []);
    raw[client] = { ...summary, overhead: ratio(handler.median, summary.median) };
  }
  return { handler, handlerBilledMs: meanBilledMs(handlerSamples), raw };
}

export interface MemorySample {
  readonly requests: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly maxRss: number;
}

export interface MemoryResult {
  readonly gc: boolean;
  /** After 100 requests, a few checkpoints between, and after the last. */
  readonly samples: readonly MemorySample[];
  readonly early: MemorySample;
  readonly late: MemorySample;
  readonly rssDelta: number;
  readonly maxRssDelta: number;
  readonly heapDelta: number;
}

/** A process of its own, with --expose-gc, so the samples compare live memory rather than garbage. */
export async function runMemory(
  variant: Variant,
  setup: InProcessSetup,
  count: number,
): Promise<MemoryResult> {
  const entry = setup.stagedEntry(variant.name);
  const run = await runChild({
    node: setup.node,
    args: [
      '--expose-gc',
      ...variant.nodeArgs,
      WARM_CHILD,
      'memory',
      entry,
      JSON.stringify({ ...setup.childConfig, rawClients: [], count }),
    ],
    env: setup.env(variant.name),
    cwd: path.dirname(entry),
    timeoutMs: 600_000,
  });
  const { gc, samples } = parseResult<{ gc: boolean; samples: MemorySample[] }>(
    `${variant.name} memory`,
    run,
  );
  const early = samples[0];
  const late = samples.at(-1);
  if (!early || !late) throw new Error(`${variant.name} memory: no samples`);
  return {
    gc,
    samples,
    early,
    late,
    rssDelta: late.rss - early.rss,
    maxRssDelta: late.maxRss - early.maxRss,
    heapDelta: late.heapUsed - early.heapUsed,
  };
}
