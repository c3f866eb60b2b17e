import { expect } from 'chai';
import type { ColdResult } from '../../bench/lib/bench-result';
import type { LaneResult } from '../../bench/lib/lanes';
import { formatLaneComparison, type LaneBenchResult } from '../../bench/lib/lanes-report';
import { summarize } from '../../bench/lib/stats';
import type { WarmResult } from '../../bench/lib/warm';

const cold = (init: number, first: number): ColdResult => ({
  cold: summarize([init + first]),
  import: summarize([init]),
  firstRequest: summarize([first]),
  wall: summarize([init + first + 30]),
  samples: [],
});
const warm = (handler: number, sdk: number): WarmResult => ({
  handler: summarize([handler]),
  handlerBilledMs: Math.ceil(handler),
  raw: { sdk: { ...summarize([sdk]), overhead: handler / sdk } },
});
const lane = (name: LaneResult['name'], runtime: string, scale: number): LaneResult => ({
  name,
  runtime,
  esbuildTarget: runtime.replace('nodejs', 'node').replace('.x', ''),
  node: `/bin/${name}`,
  nodeVersion: runtime === 'nodejs22.x' ? 'v22.23.3' : 'v24.22.3',
  bundle: { bytes: 212_000, gzipBytes: 71_000 },
  cold: { full: cold(40 * scale, 7 * scale), '256 MB': cold(40 * scale, 12 * scale) },
  warm: { full: warm(0.7 * scale, 0.6), '256 MB': warm(2.3 * scale, 2.2) },
  primingSkipped: { full: 0, '256 MB': scale < 1 ? 2 : 1 },
});

describe('the lane comparison table (bench --lanes)', () => {
  const result: LaneBenchResult = {
    schema: 1,
    date: '2026-12-02T00:00:00.000Z',
    machine: { host: 'h', cpu: 'c', cores: 2, memoryGiB: 24, os: 'Linux', arch: 'x64', node: 'v22.23.3' },
    load: { start: 1, end: 1 },
    options: { runs: 15, warm: 2000, shareWarm: 500, cpuPeriodMs: 20, cpuModel: 'on' },
    lanes: [lane('nodejs22-aws5', 'nodejs22.x', 1), lane('nodejs24-aws6', 'nodejs24.x', 0.5)],
  };
  const table = formatLaneComparison(result);
  const row = (label: string) => table.split('\n').find((line) => line.startsWith(label)) ?? '';

  it('has a column per lane, named by runtime, Node and build target, and the ratio of the next to the first', () => {
    expect(table).to.include('nodejs22.x (Node v22.23.3, node22 build)');
    expect(table).to.include('nodejs24.x (Node v24.22.3, node24 build)');
    expect(table).to.include('nodejs24 / nodejs22');
  });

  it('gives init + first request at each share and at full CPU, with the ratio of medians', () => {
    expect(row('256 MB: init + first request').split(/\s{2,}/)).to.deep.equal([
      '256 MB: init + first request',
      '52.0',
      '26.0',
      '0.50x',
    ]);
    expect(row('full CPU: init + first request')).to.match(/47\.0\s+23\.5\s+0\.50x$/);
  });

  it('counts the cold starts left out because priming gave up, without a ratio', () => {
    expect(row('256 MB: cold starts left out'), table).to.match(/1\s+2\s+-$/);
  });

  it('gives the warm handler and its overhead over the raw SDK call at each setting', () => {
    expect(row('warm at 256 MB: handler ')).to.match(/2\.300\s+1\.150\s+0\.50x$/);
    expect(row('warm at full CPU: handler / raw SDK')).to.match(/1\.17x\s+0\.58x\s+0\.50x$/);
  });
});
