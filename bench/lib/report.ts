import type { BenchResult } from './bench-result';
import { fullCpuSection } from './report-full-cpu-section';
import { memorySizeSection, modelSection } from './report-model-sections';
import { formatTargets } from './targets';

export function formatReport(result: BenchResult): string {
  const { machine, load } = result;
  const header = `item-api bench · ${result.date.slice(0, 10)} · ${machine.cpu}, ${machine.cores} cores · Node ${machine.node} ${machine.arch}${result.git ? ` · ${result.git.commit}${result.git.dirty ? '+dirty' : ''}` : ''}`;
  const busy = Math.max(load.start, load.end) > machine.cores / 2;
  return [
    header,
    ...(busy
      ? [
          `warning: load average ${load.start.toFixed(1)} -> ${load.end.toFixed(1)} on ${machine.cores} cores; absolute times are noisy, ratios less so`,
        ]
      : []),
    describeModel(result),
    `DynamoDB: dynalite over HTTPS with a certificate made for this run, trusted through ${result.tls.caTrust === 'extra-ca' ? 'NODE_EXTRA_CA_CERTS' : "OpenSSL's store (--use-openssl-ca)"}.`,
    ...(result.cpuModel.enabled ? ['', ...modelSection(result), '', ...memorySizeSection(result)] : []),
    '',
    ...fullCpuSection(result),
    '',
    'Targets (issue 10), from this run:',
    ...formatTargets(result.targets),
  ].join('\n');
}

function describeModel(result: BenchResult): string {
  const model = result.cpuModel;
  if (!model.enabled) return `Lambda CPU model: off (${model.reason}); every phase ran at full CPU.`;
  return `Lambda CPU model: cgroup ${model.hierarchy} CPU quota over a ${model.periodMs} ms period; init at ${model.initAtShare ? 'the memory share (--init-at-share)' : 'full CPU'}, every invoke at memory/1769 of one CPU.`;
}
