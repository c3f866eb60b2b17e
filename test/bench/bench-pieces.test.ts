import { expect } from 'chai';
import { parseOptions } from '../../scripts/bench/options';
import { median, quantile, ratio, summarize } from '../../scripts/bench/stats';
import { coldChartSvg, escapeXml } from '../../scripts/bench/svg';
import { formatTable } from '../../scripts/bench/table';

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
});
