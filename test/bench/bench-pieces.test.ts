import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { costPerMillion, meanBilledMs } from '../../bench/lib/cost';
import { sweepStaleGroups } from '../../bench/lib/cpu-groups';
import { openCpuModel } from '../../bench/lib/cpu-model';
import { cpuQuotaUs } from '../../bench/lib/lambda-cpu-share';
import { parseOptions } from '../../bench/lib/options';
import { median, quantile, ratio, summarize } from '../../bench/lib/stats';
import { coldChartSvg, escapeXml } from '../../bench/lib/svg';
import { formatTable } from '../../bench/lib/table';
import { evaluateTargets, formatTargets, type TargetInputs } from '../../bench/lib/targets';

describe('bench statistics', () => {
  it('takes the middle value of an odd sample and the mean of the middle two of an even one', () => {
    expect(median([5, 1, 3])).to.equal(3);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
  });

  it('interpolates quantiles between closest ranks', () => {
    expect(quantile([10, 20, 30, 40, 50], 0.9)).to.be.closeTo(46, 1e-9);
    expect(quantile([7], 0.99)).to.equal(7);
  });

  it('does not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).to.deep.equal([3, 1, 2]);
  });

  it('refuses an empty sample rather than reporting NaN', () => {
    expect(() => median([])).to.throw(RangeError);
  });

  it('quotes ratios to two decimals', () => {
    expect(ratio(167.5, 55.3)).to.equal(3.03);
  });
});

describe('bench chart', () => {
  it('escapes text for SVG content and attributes', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).to.equal(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });

  it('writes one row per variant, with no unescaped markup from labels or captions', () => {
    const svg = coldChartSvg(
      [
        {
          label: 'item-api',
          coldMs: 70,
          importMs: 40,
          firstRequestMs: 30,
          wallMs: 120,
          note: '1.2× aws-lite',
        },
        { label: 'bare <node>', wallMs: 40 },
      ],
      { title: 'Cold & warm', subtitle: 'CPU "X" <fast>' },
    );
    expect(svg).to.match(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).to.include('bare &lt;node&gt;').and.include('Cold &amp; warm').and.include('70 ms');
    expect(svg).not.to.include('<node>');
    expect(svg.trimEnd().endsWith('</svg>')).to.equal(true);
  });
});

describe('bench text output and options', () => {
  it('aligns the first column left and the rest right', () => {
    expect(formatTable(['v', 'ms'], [['item-api', '1.5']]).split('\n')).to.deep.equal([
      'v          ms',
      '--------  ---',
      'item-api  1.5',
    ]);
  });

  it('defaults to the issue’s sample sizes and keeps --quick from overwriting results', () => {
    expect(parseOptions([])).to.include({ runs: 15, warm: 2000, memory: 10_000, write: true });
    expect(parseOptions(['--quick'])).to.include({ runs: 3, write: false });
    expect(parseOptions(['--quick', '--runs', '5', '--write'])).to.include({ runs: 5, write: true });
    expect(() => parseOptions(['--runs', '0'])).to.throw(/positive integer/);
    expect(() => parseOptions(['--fast'])).to.throw(/unknown option/);
  });

  it('compares the toolchain lanes only when asked, at 256 and 512 MB unless --sizes says otherwise', () => {
    expect(parseOptions([])).to.include({ lanes: false });
    expect(parseOptions(['--lanes'])).to.deep.include({ lanes: true, sizes: [256, 512], runs: 15 });
    expect(parseOptions(['--lanes', '--sizes', '128,1769'])).to.deep.include({ sizes: [128, 1769] });
    expect(parseOptions(['--sizes', '1024', '--lanes'])).to.deep.include({ sizes: [1024] });
  });

  it('models Lambda’s CPU by default, over the memory sizes the issue names', () => {
    expect(parseOptions([])).to.deep.include({
      cpuModel: true,
      initAtShare: false,
      cpuPeriodMs: 20,
      sizes: [128, 256, 512, 1024, 1769],
      caTrust: 'extra-ca',
    });
    expect(parseOptions(['--no-cpu-model', '--init-at-share'])).to.include({
      cpuModel: false,
      initAtShare: true,
    });
    expect(parseOptions(['--sizes', '1024, 256,256', '--cpu-period-ms', '100'])).to.deep.include({
      sizes: [256, 1024],
      cpuPeriodMs: 100,
    });
    expect(parseOptions(['--ca-trust', 'openssl-store'])).to.include({ caTrust: 'openssl-store' });
    expect(() => parseOptions(['--sizes', '64'])).to.throw(/128 to 10240/);
    expect(() => parseOptions(['--cpu-period-ms', '10'])).to.throw(/14 to 1000/);
    expect(() => parseOptions(['--ca-trust', 'none'])).to.throw(/extra-ca or openssl-store/);
  });
});

describe('bench Lambda CPU model', () => {
  it('gives a memory size its share of one CPU as a quota per period', () => {
    expect(cpuQuotaUs(1769, 20_000)).to.equal(20_000);
    expect(cpuQuotaUs(256, 20_000)).to.equal(2894);
    expect(cpuQuotaUs(128, 20_000)).to.equal(1447);
    expect(() => cpuQuotaUs(128, 10_000)).to.throw(/at least 1 ms/);
  });

  it('says why, instead of failing, when it cannot make CPU-limited groups', async () => {
    const model = await openCpuModel({ enabled: true, periodMs: 20, sizes: [256] }, process.execPath, () => ({
      kind: 'v1',
      parent: path.join(tmpdir(), 'no-such-cgroup-hierarchy', String(process.pid)),
    }));
    expect(model.groups).to.equal(undefined);
    expect(model.bySize.size).to.equal(0);
    expect(model.unavailable).to.match(/^cannot model Lambda's CPU here: .*ENOENT/);

    const off = await openCpuModel({ enabled: false, periodMs: 20, sizes: [256] }, process.execPath);
    expect(off.unavailable).to.match(/--no-cpu-model/);
  });

  it('sweeps groups left by bench runs that no longer exist, and only those', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'cgroup-sweep-'));
    try {
      const dead = path.join(parent, 'item-api-bench-2147483646-256mb');
      const alive = path.join(parent, `item-api-bench-${process.pid}-256mb`);
      const other = path.join(parent, 'someone-else');
      for (const dir of [dead, alive, other]) mkdirSync(dir);
      expect(sweepStaleGroups({ kind: 'v1', parent })).to.deep.equal([dead]);
      expect(readdirSync(parent).sort()).to.deep.equal([path.basename(alive), 'someone-else']);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('bench cost per million requests', () => {
  it('bills each request rounded up to the next ms', () => {
    expect(meanBilledMs([0.2, 1.0, 1.01, 2.5])).to.equal((1 + 1 + 2 + 3) / 4);
  });

  it('adds Lambda arm64 duration, requests, billed init on 1% cold starts and API Gateway REST', () => {
    const cost = costPerMillion({ memoryMb: 1024, billedMs: 10, initMs: 99.2 });
    expect(cost.lambdaDuration).to.be.closeTo(1e6 * 0.01 * 1 * 0.0000133334, 1e-9);
    expect(cost.lambdaInit).to.be.closeTo(1e4 * 0.1 * 1 * 0.0000133334, 1e-9);
    expect(cost.total).to.be.closeTo(cost.lambdaDuration + cost.lambdaInit + 0.2 + 3.5, 1e-12);
  });
});

describe('bench targets', () => {
  const summary = (median: number) => summarize([median]);
  const inputs = (overrides: Partial<TargetInputs> = {}): TargetInputs => ({
    referenceMb: 256,
    modelCold: (name) =>
      name === 'item-api'
        ? { cold: summary(60), firstRequest: summary(20) }
        : { cold: summary(200), firstRequest: summary(180) },
    initSamplesAtFullCpu: (name) => (name === 'item-api' ? [40, 42, 44] : [20, 21, 22]),
    firstRequestAtFullCpu: () => summary(25),
    warmAtShare: { handler: 1.05, sdk: 1 },
    rss: { requests: 10_000, halfWay: 80 * 2 ** 20, end: 81 * 2 ** 20 },
    ...overrides,
  });

  it('marks each target met or missed from the run’s own figures', () => {
    const met = evaluateTargets(inputs()).map((t) => [t.value, t.met]);
    expect(met).to.deep.equal([
      [0.3, true],
      [20, true],
      [1.05, true],
      [21, true],
      [1, true],
    ]);
    const missed = evaluateTargets(
      inputs({ firstRequestAtFullCpu: () => summary(15), warmAtShare: { handler: 1.2, sdk: 1 } }),
    );
    expect(missed.map((t) => t.met)).to.deep.equal([true, true, false, false, true]);
  });

  it('reports a target it could not measure as such, not as met', () => {
    const targets = evaluateTargets(
      inputs({ modelCold: () => undefined, warmAtShare: undefined, rss: undefined }),
    );
    expect(targets.map((t) => t.met)).to.deep.equal([undefined, undefined, undefined, true, undefined]);
    expect(formatTargets(targets)[0]).to.match(/^ {2}\[n\/a \]/);
  });
});
