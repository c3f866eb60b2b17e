import { expect } from 'chai';
import sinon from 'sinon';
import { withinTimeBudget } from '#handler/src/time-budget';

describe('time budget', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  it('rejects with an AbortError when the budget runs out first', async () => {
    let outcome: unknown;
    withinTimeBudget(3000, new Promise<never>(() => {})).catch((error: unknown) => {
      outcome = error;
    });
    await clock.tickAsync(2999);
    expect(outcome).to.equal(undefined);
    await clock.tickAsync(1);
    expect(outcome).to.be.instanceOf(Error).with.property('name', 'AbortError');
  });

  it('settles like the work when the work is first, and leaves no timer behind', async () => {
    expect(await withinTimeBudget(3000, Promise.resolve('done'))).to.equal('done');
    const failure = new Error('from the work');
    expect(await withinTimeBudget(3000, Promise.reject(failure)).catch((error: unknown) => error)).to.equal(
      failure,
    );
    expect(clock.countTimers()).to.equal(0);
  });
});
