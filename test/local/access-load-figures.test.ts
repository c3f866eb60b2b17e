import { expect } from 'chai';
import { figures, type StepResult } from '../../scripts/lib/load-throttle';

/** The verdict of `npm run load -- --access api-key` on made-up step results, so a broken throttle fails it. */
const step = (offered: number, ok: number, extra: Partial<StepResult> = {}): StepResult => ({
  offered,
  okPerSecond: ok,
  throttledPerSecond: offered - ok,
  otherStatuses: {},
  fiveXx: 0,
  errors: 0,
  ...extra,
});

describe('npm run load -- --access api-key: the verdict on the figures', () => {
  const RATE = 20;

  it('passes when 429s start between 90% and 110% of the rate and the rate gets through under overload', () => {
    const result = figures([step(10, 10), step(18, 18), step(22, 20.5), step(40, 21)], RATE);
    expect(result).to.deep.include({
      lastClean: 18,
      firstThrottled: 22,
      acceptedUnderOverload: 21,
      failures: [],
    });
  });

  const BROKEN: readonly [string, StepResult[], RegExp][] = [
    [
      'no throttling at all',
      [step(10, 10), step(18, 18), step(22, 22), step(40, 40)],
      /^no 429 at 22 requests per second, 40\.0 requests per second got through/,
    ],
    [
      'a slower step throttled while a faster one was not',
      [step(10, 10), step(18, 17), step(22, 22), step(40, 20)],
      /a slower step was throttled while a faster one was not/,
    ],
    [
      'throttling at half the rate',
      [step(10, 9), step(18, 10), step(22, 10), step(40, 10)],
      /429s started below 18 .*10\.0 requests per second got through/,
    ],
    ['a 5xx', [step(10, 10), step(18, 18), step(22, 20, { fiveXx: 2 }), step(40, 20)], /^2 5xx responses$/],
    [
      'a status that is neither 200 nor 429',
      [step(10, 10), step(18, 18, { otherStatuses: { 403: 1 } }), step(22, 20), step(40, 20)],
      /statuses other than 200 and 429/,
    ],
  ];
  for (const [title, steps, failure] of BROKEN) {
    it(`fails on ${title}`, () => {
      expect(figures(steps, RATE).failures.join(', ')).to.match(failure);
    });
  }
});
