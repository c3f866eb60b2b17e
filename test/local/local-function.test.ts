import { expect } from 'chai';
import { type EmulatedFunction, startEmulatedFunction } from '../support/emulated-function';

describe('a dead function process is replaced, as Lambda replaces an execution environment (real processes)', function () {
  this.timeout(30_000);
  let api: EmulatedFunction;
  beforeEach(async () => {
    api = await startEmulatedFunction();
  });
  afterEach(() => api?.close());

  it('answers the request in flight when the process was killed with 502, logs why, and serves the next from a new process', async () => {
    const firstPid = api.fn.pid;
    const inFlight = fetch(`${api.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(firstPid as number, 'SIGKILL');

    const response = await inFlight;
    expect(response.status).to.equal(502);
    expect(await response.json()).to.deep.equal({ message: 'Internal server error' });

    const next = await fetch(`${api.url}/echo`);
    expect(next.status).to.equal(200);
    expect(api.fn.pid).to.be.a('number').and.not.equal(firstPid);
    expect(api.stackLines).to.include(
      `[local] function process ${firstPid} exited (killed by SIGKILL): starting a new one, as Lambda would`,
    );
  });

  it('recovers from a function that crashes its own process', async () => {
    expect((await fetch(`${api.url}/exit`)).status).to.equal(502);
    expect((await fetch(`${api.url}/echo`)).status).to.equal(200);
    expect(api.stackLines.some((line) => /exited \(exit code 3\): starting a new one/.test(line))).to.equal(
      true,
    );
  });

  it('does not restart a process it stopped itself', async () => {
    await api.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.stackLines.filter((line) => line.includes('starting a new one'))).to.deep.equal([]);
  });
});
