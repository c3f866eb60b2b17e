import type { BenchResult } from './bench-result';
import { PRICES } from './cost';
import { dollars, f1, f3, times } from './report-number-format';
import { formatTable } from './table';

export function modelSection(result: BenchResult): string[] {
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

export function memorySizeSection(result: BenchResult): string[] {
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
