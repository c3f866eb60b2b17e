import type { BenchResult } from './bench-result';
import { f1, f3, kib, mib, signedMib, times } from './report-number-format';
import { formatTable } from './table';

export function fullCpuSection(result: BenchResult): string[] {
  const { options, ratios } = result;
  const cold = formatTable(
    [
      'variant',
      'cold ms',
      'p90',
      'vs aws-lite',
      'import ms',
      '1st req ms',
      'boot ms',
      'process ms',
      'vs aws-lite',
      'KiB raw',
      'KiB gzip',
    ],
    result.variants.map((v) => [
      v.name,
      f1(v.cold.cold?.median),
      f1(v.cold.cold?.p90),
      times(ratios.coldVsAwsLite[v.name]),
      f1(v.cold.import?.median),
      f1(v.cold.firstRequest?.median),
      f1(v.cold.boot?.median),
      f1(v.cold.wall.median),
      times(ratios.wallVsAwsLite[v.name]),
      kib(v.bundle?.bytes),
      kib(v.bundle?.gzipBytes),
    ]),
  );
  const warm = formatTable(
    [
      'variant',
      'handler med',
      'p99',
      'raw SDK med',
      'p99',
      'handler/SDK',
      'raw aws-lite med',
      'handler/aws-lite',
    ],
    result.variants.flatMap((v) => {
      if (!v.warm) return [];
      const { handler, raw } = v.warm;
      return [
        [
          v.name,
          f3(handler.median),
          f3(handler.p99),
          f3(raw.sdk?.median),
          f3(raw.sdk?.p99),
          times(raw.sdk?.overhead),
          f3(raw['aws-lite']?.median),
          times(raw['aws-lite']?.overhead),
        ],
      ];
    }),
  );
  const memory = result.variants.flatMap((v) => {
    if (!v.memory) return [];
    const { samples, early, late } = v.memory;
    const curve = (key: 'rss' | 'heapUsed') =>
      samples.map((s) => `${(s[key] / 2 ** 20).toFixed(1)}`).join(' -> ');
    return [
      `  ${v.name.padEnd(17)} RSS ${curve('rss')} MiB (${signedMib(v.memory.rssDelta)}); ` +
        `peak ${mib(early.maxRss)} -> ${mib(late.maxRss)} (${signedMib(v.memory.maxRssDelta)}); ` +
        `heap ${curve('heapUsed')} MiB`,
    ];
  });
  return [
    `Full CPU, every phase: median of ${options.runs} fresh processes per variant. cold = import + first request (in-process);`,
    'boot = process start to import; process = spawn to exit, measured outside.',
    cold,
    '',
    `Warm at full CPU: ${options.warm} sequential in-process invocations per kind, alternating blocks; ms per request.`,
    warm,
    '',
    `Memory at ${checkpointsText(result)} requests, each after a full GC (full CPU).`,
    ...memory,
  ];
}

function checkpointsText(result: BenchResult): string {
  const samples = result.variants.find((v) => v.memory)?.memory?.samples ?? [];
  return samples.map((s) => s.requests).join(' / ');
}
