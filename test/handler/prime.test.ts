import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import sinon from 'sinon';
import { type Runtime, wireHandlerFromEnv } from '#handler/src/create-handler';
import { primeAtInit } from '#handler/src/prime';
import { eventForId, lambdaContext } from '../support/events';
import { recordingLogger } from '../support/recording-logger';

const TABLE = 'items-prime-test';
const STORED = { pk: { S: 'item-1' }, sk: { S: 'item-1' }, price: { N: '12.50' } };

/** A stand-in for DynamoDB over HTTP that counts what reaches it: priming must never get here. */
async function startFakeDynamo() {
  const received: { target: string | undefined; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ target: req.headers['x-amz-target'] as string | undefined, body });
      const key = JSON.parse(body).Key?.pk?.S;
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(key === 'item-1' ? { Item: STORED } : {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Fake = Awaited<ReturnType<typeof startFakeDynamo>>;

/** Run after each test: destroys the clients a test made. */
const cleanups: (() => void)[] = [];

function localClient(endpoint: string): DynamoDBClient {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  cleanups.push(() => client.destroy());
  return client;
}

/** The real wiring, client and handler, pointed at the fake DynamoDB. */
function wire(fake: Fake, createClient?: Runtime['createClient']) {
  const logger = recordingLogger();
  const clients: DynamoDBClient[] = [];
  const { handler, primeTargets } = wireHandlerFromEnv(
    { TABLE_NAME: TABLE, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_DYNAMODB: fake.endpoint },
    {
      logger,
      clock: () => 0,
      createClient:
        createClient ??
        ((config) => {
          const client = localClient(config.endpoint ?? '');
          clients.push(client);
          return client;
        }),
    },
  );
  if (!primeTargets) throw new Error('a valid configuration has something to prime');
  return { handler, primeTargets, logger, clients };
}

/** Servers, sockets and name lookups keeping the process alive, by kind. */
function networkHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (/^(TCP|Pipe|GetAddrInfo)/.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Lets handles closed by earlier tests finish closing. */
async function settled(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Records every timer and interval set from now on that has neither fired nor been cleared: what
 * priming (and the SDK under it) leaves pending. The test runner's own timers are set elsewhere.
 */
function trackTimers() {
  const pending = new Map<unknown, string>();
  const saved = { setTimeout, clearTimeout, setInterval, clearInterval };
  const where = () => new Error().stack?.split('\n')[3]?.trim() ?? '?';
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = saved.setTimeout(() => {
      pending.delete(timer);
      callback(...args);
    }, ms);
    pending.set(timer, `timeout ${ms} ms ${where()}`);
    return timer;
  }) as typeof setTimeout;
  globalThis.setInterval = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = saved.setInterval(callback, ms, ...args);
    pending.set(timer, `interval ${ms} ms ${where()}`);
    return timer;
  }) as typeof setInterval;
  const clear = (timer: unknown) => {
    pending.delete(timer);
  };
  globalThis.clearTimeout = ((timer: NodeJS.Timeout) => {
    clear(timer);
    saved.clearTimeout(timer);
  }) as typeof clearTimeout;
  globalThis.clearInterval = ((timer: NodeJS.Timeout) => {
    clear(timer);
    saved.clearInterval(timer);
  }) as typeof clearInterval;
  return {
    live: () => [...pending.values()],
    restore: () => Object.assign(globalThis, saved),
  };
}

describe('priming at init', () => {
  let fake: Fake;
  beforeEach(async () => {
    fake = await startFakeDynamo();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    sinon.restore();
    await fake.close();
  });

  it('sends one GetItem through the real client to an in-process stand-in, never to DynamoDB', async () => {
    const { primeTargets, logger, clients } = wire(fake);
    const [client] = clients;
    if (!client) throw new Error('no client');
    const send = sinon.spy(client, 'send');
    const stack = client.middlewareStack.identify();

    await primeAtInit(primeTargets);

    expect(send.callCount).to.equal(1);
    expect(send.firstCall.args[0]).to.be.instanceOf(GetItemCommand);
    expect(fake.received, 'requests that reached DynamoDB').to.deep.equal([]);
    expect(logger.entries, 'a failed priming logs a warning').to.deep.equal([]);
    expect(client.middlewareStack.identify(), 'the redirect is removed').to.deep.equal(stack);
  });

  it('never changes what a request returns, and the request then goes to DynamoDB', async () => {
    const primed = wire(fake);
    const unprimed = wire(fake);
    await primeAtInit(primed.primeTargets);

    for (const event of [eventForId('item-1'), eventForId('missing')]) {
      const before = fake.received.length;
      const expected = await unprimed.handler(event, lambdaContext());
      const actual = await primed.handler(event, lambdaContext());
      expect(actual).to.deep.equal(expected);
      expect(fake.received.length - before, 'both requests reached DynamoDB').to.equal(2);
    }
    const etag = String((await primed.handler(eventForId('item-1'), lambdaContext())).headers?.ETag);
    const conditional = eventForId('item-1', { headers: { 'If-None-Match': etag } });
    expect(await primed.handler(conditional, lambdaContext())).to.deep.equal(
      await unprimed.handler(conditional, lambdaContext()),
    );
  });

  it('logs nothing, and the first request after it logs exactly one request line', async () => {
    const { handler, primeTargets, logger } = wire(fake);
    await primeAtInit(primeTargets);
    expect(logger.entries).to.deep.equal([]);

    await handler(eventForId('item-1'), lambdaContext());
    expect(logger.entries.map((e) => e.message)).to.deep.equal(['request']);
  });

  it('leaves no server, socket, lookup or timer behind', async () => {
    const { primeTargets } = wire(fake);
    await settled();
    const before = networkHandles();
    const timers = trackTimers();
    try {
      await primeAtInit(primeTargets);
      expect(networkHandles()).to.deep.equal(before);
      expect(timers.live()).to.deep.equal([]);
    } finally {
      timers.restore();
    }
  });

  describe('when priming fails, init goes on and the failure is logged once', () => {
    const failures: {
      name: string;
      createClient: (real: DynamoDBClient) => ReturnType<Runtime['createClient']>;
      detail: RegExp;
    }[] = [
      {
        name: 'the client has no middleware stack',
        createClient: (real) => ({ send: real.send.bind(real) }) as unknown as DynamoDBClient,
        detail: /no middleware stack/,
      },
      {
        name: 'the client rejects every request',
        createClient: (real) =>
          ({
            middlewareStack: real.middlewareStack,
            send: () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
          }) as unknown as DynamoDBClient,
        detail: /answered 500/,
      },
    ];
    for (const { name, createClient, detail } of failures) {
      it(`when ${name}`, async () => {
        const real = localClient(fake.endpoint);
        const { handler, primeTargets, logger } = wire(fake, () => createClient(real));
        await settled();
        const before = networkHandles();

        await primeAtInit(primeTargets);

        expect(logger.entries).to.have.length(1);
        expect(logger.entries[0]).to.deep.include({ level: 'WARN', message: 'init priming skipped' });
        expect(logger.entries[0]?.fields.errorDetail).to.match(detail);
        expect(networkHandles()).to.deep.equal(before);
        expect(real.middlewareStack.identify().join()).not.to.include('Prime');
        // The handler still answers; what it answers is the client's business.
        expect((await handler(eventForId('item-1'), lambdaContext())).statusCode).to.be.a('number');
      });
    }

    it('when the logger itself throws', async () => {
      const { primeTargets } = wire(fake, () => ({ send: () => Promise.reject(new Error('x')) }) as never);
      const throwing = {
        ...primeTargets,
        logger: {
          log: () => {
            throw new Error('log sink gone');
          },
        },
      };
      await primeAtInit(throwing);
    });
  });

  it('ends at its bound when the client stalls, and drops the stalled request without retrying it', async () => {
    const { primeTargets, logger, clients } = wire(fake);
    const [client] = clients;
    if (!client) throw new Error('no client');
    // Holds the request before signing for longer than priming may take, and counts the attempts
    // the SDK's retry loop makes once it goes on.
    const stall = new Promise((resolve) => setTimeout(resolve, 300));
    let attempts = 0;
    client.middlewareStack.add((next) => async (args) => stall.then(() => next(args)), {
      step: 'build',
      name: 'testStall',
    });
    client.middlewareStack.add(
      (next) => async (args) => {
        attempts++;
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'testAttempts' },
    );
    const started = performance.now();

    await primeAtInit(primeTargets, { timeoutMs: 100 });

    expect(performance.now() - started).to.be.below(300);
    expect(logger.entries).to.have.length(1);
    expect(logger.entries[0]?.fields.errorDetail).to.match(/longer than 100 ms|answered 503/);
    expect(client.middlewareStack.identify().join()).not.to.include('Prime');
    await stall;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts, 'attempts after priming ended').to.equal(1);
    expect(fake.received, 'requests that reached DynamoDB').to.deep.equal([]);
  });
});
