import type { Summary } from './stats';
import { median, ratio, round } from './stats';
import type { VariantName } from './variants';

/** One of issue 10's targets, as this run measured it. */
export interface TargetResult {
  readonly name: string;
  /** Undefined when the run could not measure it (no CPU model, a size left out). */
  readonly value: number | undefined;
  readonly limit: number;
  readonly unit: 'x' | 'ms' | 'MiB';
  readonly met: boolean | undefined;
  readonly detail: string;
}

/** The figures the targets are computed from, gathered by the report. */
export interface TargetInputs {
  readonly referenceMb: number;
  /** Cold start under the CPU model at the reference size, per variant. */
  readonly modelCold: (variant: VariantName) => { cold?: Summary; firstRequest?: Summary } | undefined;
  /** Every init sample taken at full CPU (every setting where init ran unthrottled), per variant. */
  readonly initSamplesAtFullCpu: (variant: VariantName) => readonly number[];
  /** The first request at full CPU, per variant. */
  readonly firstRequestAtFullCpu: (variant: VariantName) => Summary | undefined;
  /** item-api's warm medians at the reference size's share: handler and the raw SDK call. */
  readonly warmAtShare: { handler: number; sdk: number } | undefined;
  /** RSS after a full GC, half-way through the memory run and at its end, for item-api. */
  readonly rss: { requests: number; halfWay: number; end: number } | undefined;
}

/** RSS may settle by this much between half-way and the end of the run and still count as flat. */
export const FLAT_RSS_MIB = 2;

export function evaluateTargets(inputs: TargetInputs): TargetResult[] {
  const mb = inputs.referenceMb;
  const itemApi = inputs.modelCold('item-api');
  const awsLite = inputs.modelCold('aws-lite');
  const coldRatio =
    itemApi?.cold && awsLite?.cold ? ratio(itemApi.cold.median, awsLite.cold.median) : undefined;
  const first = itemApi?.firstRequest?.median;
  const warmRatio = inputs.warmAtShare
    ? ratio(inputs.warmAtShare.handler, inputs.warmAtShare.sdk)
    : undefined;
  const primedInit = inputs.initSamplesAtFullCpu('item-api');
  const unprimedInit = inputs.initSamplesAtFullCpu('item-api-unprimed');
  const unprimedFirst = inputs.firstRequestAtFullCpu('item-api-unprimed')?.median;
  const growth =
    primedInit.length > 0 && unprimedInit.length > 0 ? median(primedInit) - median(unprimedInit) : undefined;
  const rssGrowth = inputs.rss ? (inputs.rss.end - inputs.rss.halfWay) / 2 ** 20 : undefined;
  const check = (value: number | undefined, limit: number) =>
    value === undefined ? undefined : value <= limit;
  return [
    {
      name: `init + first request at ${mb} MB, item-api over aws-lite`,
      value: coldRatio,
      limit: 0.6,
      unit: 'x',
      met: check(coldRatio, 0.6),
      detail: `medians ${fmt(itemApi?.cold?.median)} ms / ${fmt(awsLite?.cold?.median)} ms`,
    },
    {
      name: `first request after init at ${mb} MB, item-api`,
      value: first === undefined ? undefined : round(first, 1),
      limit: 30,
      unit: 'ms',
      met: check(first, 30),
      detail: `median; p90 ${fmt(itemApi?.firstRequest?.p90)} ms`,
    },
    {
      name: `warm p50 at ${mb} MB, handler over the raw SDK GetItem`,
      value: warmRatio,
      limit: 1.1,
      unit: 'x',
      met: check(warmRatio, 1.1),
      detail: inputs.warmAtShare
        ? `${fmt(inputs.warmAtShare.handler, 3)} ms / ${fmt(inputs.warmAtShare.sdk, 3)} ms`
        : 'not measured',
    },
    {
      name: 'init growth at full CPU from priming, item-api over item-api-unprimed',
      value: growth === undefined ? undefined : round(growth, 1),
      limit: unprimedFirst === undefined ? Number.NaN : round(unprimedFirst, 1),
      unit: 'ms',
      met: growth === undefined || unprimedFirst === undefined ? undefined : growth <= unprimedFirst,
      detail: `init medians ${fmt(primedInit.length ? median(primedInit) : undefined)} - ${fmt(unprimedInit.length ? median(unprimedInit) : undefined)} ms (${primedInit.length} and ${unprimedInit.length} samples); the limit is item-api-unprimed's first request at full CPU`,
    },
    {
      name: `RSS growth over the second half of ${inputs.rss?.requests ?? '?'} requests, item-api`,
      value: rssGrowth === undefined ? undefined : round(rssGrowth, 2),
      limit: FLAT_RSS_MIB,
      unit: 'MiB',
      met: check(rssGrowth, FLAT_RSS_MIB),
      detail: inputs.rss
        ? `${fmt(inputs.rss.halfWay / 2 ** 20)} -> ${fmt(inputs.rss.end / 2 ** 20)} MiB after a full GC`
        : 'not measured',
    },
  ];
}

function fmt(value: number | undefined, digits = 1): string {
  return value === undefined ? '-' : value.toFixed(digits);
}

export function formatTargets(targets: readonly TargetResult[]): string[] {
  return targets.map((t) => {
    const mark = t.met === undefined ? 'n/a ' : t.met ? 'met ' : 'MISS';
    const value = t.value === undefined ? '-' : `${t.value}${t.unit === 'x' ? 'x' : ` ${t.unit}`}`;
    const limit = Number.isNaN(t.limit) ? '?' : `${t.limit}${t.unit === 'x' ? 'x' : ` ${t.unit}`}`;
    return `  [${mark}] ${t.name}: ${value} (target <= ${limit}; ${t.detail})`;
  });
}
