import type { ServerResponse } from 'node:http';
import { expect } from 'chai';
import { describeFailure, probe } from '../../.github/scripts/lib/http-probe';
import { runConformance } from '../../.github/scripts/lib/run-conformance';
import { verdict } from '../../.github/scripts/lib/smoke-report';
import { type HostileServer, refusedUrl, startHostileServer } from '../support/hostile-http';

/** What a healthy stage would answer: enough for a probe to count as answered. */
const healthy = (_req: unknown, res: ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end('{"pk":"a","sk":"a"}');
};

describe('the smoke test against hostile servers on loopback: it fails for the right reason, and says which', function () {
  this.timeout(20_000);
  const servers: HostileServer[] = [];
  const start = async (...args: Parameters<typeof startHostileServer>) => {
    const server = await startHostileServer(...args);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  describe('redirects (API Gateway never sends one)', () => {
    for (const status of [301, 302, 307, 308]) {
      it(`refuses a ${status} to a healthy server, naming its Location, and never follows it`, async () => {
        const target = await start({ kind: 'endless-body' }, { times: 0, afterwards: healthy });
        const redirector = await start({ kind: 'redirect', status, location: `${target.url}/v1/hello` });
        const outcome = await probe(
          { url: `${redirector.url}/v1/hello`, method: 'GET' },
          { attempts: 3, retryDelayMs: 1 },
        );
        expect(outcome).to.deep.equal({
          kind: 'redirected',
          status,
          location: `${target.url}/v1/hello`,
          attempts: 1,
        });
        expect(target.requests).to.equal(0);
      });
    }

    it('names a redirect to itself as a redirect after one request, not a loop that ends in "fetch failed"', async () => {
      const loop = await start({ kind: 'redirect', location: '/v1/hello' });
      const outcome = await probe(
        { url: `${loop.url}/v1/hello`, method: 'GET' },
        { attempts: 3, retryDelayMs: 1 },
      );
      expect(outcome).to.include({ kind: 'redirected', location: '/v1/hello' });
      expect(loop.requests).to.equal(1);
    });

    it('lets a 304 through: it answers a conditional request and redirects nowhere', async () => {
      const server = await start(
        { kind: 'endless-body' },
        {
          times: 0,
          afterwards: (_req, res) => {
            res.writeHead(304, { ETag: '"a"' });
            res.end();
          },
        },
      );
      const outcome = await probe({ url: server.url, method: 'GET' });
      expect(outcome.kind).to.equal('answered');
    });
  });

  describe('no answer: named by its cause, and told apart from a wrong answer', () => {
    it('a refused connection: ECONNREFUSED', async () => {
      const outcome = await probe(
        { url: `${await refusedUrl()}/v1/hello`, method: 'GET' },
        { attempts: 2, retryDelayMs: 1 },
      );
      expect(outcome).to.include({ kind: 'unreachable', attempts: 2 });
      expect(outcome.kind === 'unreachable' && outcome.cause).to.match(/ECONNREFUSED/);
    });

    it('a name that does not resolve: ENOTFOUND', async () => {
      const outcome = await probe({ url: 'http://smoke-no-such-host.invalid/v1/hello', method: 'GET' });
      expect(outcome.kind === 'unreachable' && outcome.cause).to.match(/ENOTFOUND|EAI_AGAIN/);
    });

    it('a connection closed before any answer: named, not "fetch failed"', async () => {
      const server = await start({ kind: 'reset' });
      const outcome = await probe({ url: server.url, method: 'GET' });
      expect(outcome.kind).to.equal('unreachable');
      expect(outcome.kind === 'unreachable' && outcome.cause).to.not.equal('fetch failed');
      expect(outcome.kind === 'unreachable' && outcome.cause).to.match(/socket|closed|ECONNRESET/i);
    });

    it('the whole smoke test against a refused URL: every check unreachable, and the verdict says the API was never reached', async () => {
      const baseUrl = `${await refusedUrl()}/v1`;
      const result = await runConformance({ baseUrl, profile: { itemId: 'hello', itemCacheControl: 'no-cache' } }, { attempts: 1 }); // biome-ignore format: long line
      const ran = result.results.filter((r) => r.outcome !== 'skipped');
      expect(ran.every((r) => r.outcome === 'unreachable' && /ECONNREFUSED/.test(r.problem ?? ''))).to.equal(
        true,
      );
      expect(verdict(result)).to.match(
        /could not reach the API, so they say nothing about it \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)/,
      );
      expect(verdict(result)).to.not.match(/contradict/);
    });
  });

  describe('a body that fails after the headers counts as a failed attempt, inside the retry loop', () => {
    it('a reset after the headers is retried, and passes once the server recovers', async () => {
      const server = await start({ kind: 'reset-after-headers' }, { times: 2, afterwards: healthy });
      const outcome = await probe({ url: server.url, method: 'GET' }, { attempts: 3, retryDelayMs: 1 });
      expect(outcome).to.deep.include({ kind: 'answered', attempts: 3 });
      expect(server.requests).to.equal(3);
    });

    it('a reset after the headers on every attempt ends unreachable, after every attempt, saying the body failed', async () => {
      const server = await start({ kind: 'reset-after-headers' });
      const outcome = await probe({ url: server.url, method: 'GET' }, { attempts: 3, retryDelayMs: 1 });
      expect(outcome).to.include({ kind: 'unreachable', attempts: 3 });
      expect(outcome.kind === 'unreachable' && outcome.cause).to.match(
        /^answered 200, then the body failed: /,
      );
      expect(server.requests).to.equal(3);
    });

    it('a body that stalls times out, counts as an attempt, and is tried again', async () => {
      const server = await start({ kind: 'stall-body' });
      const outcome = await probe(
        { url: server.url, method: 'GET' },
        { attempts: 2, retryDelayMs: 1, timeoutMs: 1500 },
      );
      expect(outcome).to.include({ kind: 'unreachable', attempts: 2 });
      expect(outcome.kind === 'unreachable' && outcome.cause).to.equal(
        'answered 200, then the body failed: timed out after 1500 ms',
      );
      expect(server.requests).to.equal(2);
    });
  });

  it('reads an endless body only up to the cap, then hangs up', async () => {
    const server = await start({ kind: 'endless-body' });
    const before = process.memoryUsage().rss;
    const outcome = await probe({ url: server.url, method: 'GET' }, { maxBodyBytes: 16_384 });
    expect(outcome.kind).to.equal('answered');
    if (outcome.kind !== 'answered') return;
    expect(outcome.response.truncated).to.equal(true);
    expect(outcome.response.body).to.have.length(16_384);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const written = server.bytesWritten;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The server stopped: the socket was closed, so nothing more is written.
    expect(server.bytesWritten).to.equal(written);
    expect(written).to.be.below(64 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).to.be.below(64 * 1024 * 1024);
  });

  describe('describeFailure', () => {
    const cases: { name: string; error: unknown; expected: string }[] = [
      {
        name: "fetch's TypeError, by its cause's code",
        error: new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' }) }), // biome-ignore format: long line
        expected: 'getaddrinfo ENOTFOUND x.invalid',
      },
      {
        name: 'a cause whose message lacks its code',
        error: new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), // biome-ignore format: long line
        expected: 'UND_ERR_SOCKET: other side closed',
      },
      { name: 'a timeout', error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'), expected: 'timed out after 5 ms' }, // biome-ignore format: long line
    ];
    for (const { name, error, expected } of cases) {
      it(name, () => expect(describeFailure(error, 5)).to.equal(expected));
    }
  });
});
