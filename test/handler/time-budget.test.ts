import { expect } from 'chai';
import sinon from 'sinon';
import { withTimeBudget } from '../../handler/src/time-budget';

describe('time budget', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  it('aborts the signal when the budget runs out', async () => {
    let seen: AbortSignal | undefined;
    const pending = withTimeBudget(3000, (signal) => {
      seen = signal;
      return new Promise<never>(() => {});
    });
    void pending;
    await clock.tickAsync(2999);
    expect(seen?.aborted).to.equal(false);
    await clock.tickAsync(1);
    expect(seen?.aborted).to.equal(true);
  });

  it('leaves no timer behind once the work is done', async () => {
    expect(await withTimeBudget(3000, async () => 'done')).to.equal('done');
    await withTimeBudget(3000, async () => Promise.reject(new Error('x'))).catch(() => {});
    expect(clock.countTimers()).to.equal(0);
  });
});
