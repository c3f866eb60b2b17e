import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchResult, VariantResult } from './bench-result';
import { coldChartSvg } from './svg';
import { REFERENCE_VARIANT } from './variant-ratios';

/** The cold-start chart: under the Lambda model at the reference size, or at full CPU without it. */
export function writeChart(result: BenchResult, file: string): string {
  const { machine, options, cpuModel } = result;
  const mb = cpuModel.referenceMb;
  const cold = (v: VariantResult) => (cpuModel.enabled ? (v.model[mb] ?? v.cold) : v.cold);
  const ratios = cpuModel.enabled ? result.ratios.modelColdVsAwsLite : result.ratios.coldVsAwsLite;
  const svg = coldChartSvg(
    result.variants.map((v) => ({
      label: v.name,
      coldMs: cold(v).cold?.median,
      importMs: cold(v).import?.median,
      firstRequestMs: cold(v).firstRequest?.median,
      wallMs: cold(v).wall.median,
      note:
        v.name === REFERENCE_VARIANT || ratios[v.name] === undefined
          ? undefined
          : `${ratios[v.name]?.toFixed(2)}× aws-lite`,
    })),
    cpuModel.enabled
      ? {
          title: `Cold start as Lambda runs it at ${mb} MB: init at full CPU, first GetItem at ${(mb / 1769).toFixed(3)} CPU`,
          subtitle: `median of ${options.runs} interleaved runs, lower is better · Node ${machine.node} ${machine.arch}, ${machine.cores} cores · ${result.date.slice(0, 10)} · dynalite over TLS · ${cpuModel.periodMs} ms CPU period`,
          legend: {
            import: 'init (import, priming) at full CPU',
            request: `first request at the ${mb} MB share`,
            wall: 'whole process, spawn to exit',
          },
        }
      : {
          title: 'Cold start: import + first GetItem, median ms (lower is better)',
          subtitle: `Node ${machine.node} ${machine.arch} · ${machine.cpu}, ${machine.cores} cores · ${result.date.slice(0, 10)} · ${options.runs} interleaved runs per variant · dynalite over TLS · full CPU`,
        },
  );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, svg);
  return file;
}
