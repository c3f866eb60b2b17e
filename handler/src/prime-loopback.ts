import { lookup } from 'node:dns/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, isIP, type Socket } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The client surface priming uses: `send` for requests, the middleware stack to point them home.
 * The real client has both; a stand-in without a stack (as tests inject) cannot be primed.
 */
export type PrimableClient = Pick<DynamoDBClient, 'send'> & {
  readonly middlewareStack?: DynamoDBClient['middlewareStack'];
};

/**
 * An item of the common attribute types, so priming runs the deserialisers and the renderer for
 * each. Its values are never seen by anyone.
 */
export const LOOPBACK_ITEM = {
  pk: { S: 'item-api-prime' },
  sk: { S: 'item-api-prime' },
  name: { S: 'prime' },
  count: { N: '1' },
  active: { BOOL: true },
  retiredAt: { NULL: true },
  tags: { L: [{ S: 'a' }, { N: '2' }] },
  owner: { M: { name: { S: 'prime' } } },
} as const;

export interface Loopback {
  /** Requests the server answered: priming checks it really went over HTTP. */
  readonly requests: number;
  /** Stops redirecting, removes the middleware and closes the server and its connections. */
  close(): Promise<void>;
}

const MIDDLEWARE_NAME = 'itemApiPrimeLoopback';

/**
 * A DynamoDB stand-in on the loopback interface inside this process, and a middleware on the real
 * client that sends requests to it instead of DynamoDB. The middleware sits last, after endpoint
 * resolution, credentials, signing and retries, so a request through the client runs every step a
 * real GetItem runs, then goes through the client's own HTTP handler and Node's HTTP client and
 * parser, to a host name resolved as DynamoDB's will be. Only the TLS handshake differs: the
 * stand-in speaks plain HTTP.
 */
export async function openLoopback(client: PrimableClient, signal: AbortSignal): Promise<Loopback> {
  const stack = client.middlewareStack;
  if (!stack) throw new Error('the client has no middleware stack to send priming requests through');
  let requests = 0;
  let redirecting = true;
  const { host, address } = await loopbackAddress();
  signal.throwIfAborted();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests++;
    request.resume();
    request.on('end', () => answerGetItem(response));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const closeServer = async () => {
    const closed = [new Promise<void>((resolve) => server.close(() => resolve()))];
    for (const socket of sockets) {
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
      socket.destroy();
    }
    await Promise.all(closed);
    // Closed handles (this side's and the client's) are released in the event loop's close phase,
    // which follows the setImmediate phase: two turns see them gone.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  };
  try {
    signal.throwIfAborted();
    const { port } = server.address() as AddressInfo;
    stack.add(
      (next) => async (args) => {
        // Only priming's own requests pass here: the middleware is gone from the stack before any
        // other request is resolved. A retry of an abandoned priming request, which still carries
        // it, must not reach DynamoDB either.
        if (!redirecting) throw new Error('priming is over');
        const request = args.request as { hostname?: unknown } | undefined;
        if (typeof request?.hostname === 'string') {
          Object.assign(request, { protocol: 'http:', hostname: host, port });
        }
        return next(args);
      },
      { step: 'deserialize', priority: 'low', name: MIDDLEWARE_NAME },
    );
  } catch (error) {
    await closeServer();
    throw error;
  }

  return {
    get requests() {
      return requests;
    },
    close: async () => {
      redirecting = false;
      stack.remove(MIDDLEWARE_NAME);
      await closeServer();
    },
  };
}

/**
 * `localhost` when it resolves to a loopback address, so the client's connection starts with a
 * name lookup as it will for DynamoDB; otherwise 127.0.0.1. Either way the server listens on a
 * loopback address only.
 */
async function loopbackAddress(): Promise<{ host: string; address: string }> {
  const resolved = await lookup('localhost').catch(() => undefined);
  if (resolved && isLoopback(resolved.address)) return { host: 'localhost', address: resolved.address };
  return { host: '127.0.0.1', address: '127.0.0.1' };
}

function isLoopback(address: string): boolean {
  return isIP(address) === 4 ? address.startsWith('127.') : address === '::1';
}

function answerGetItem(response: ServerResponse): void {
  const body = JSON.stringify({ Item: LOOPBACK_ITEM });
  response.writeHead(200, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': 'item-api-prime',
    // The client's keep-alive agent must not keep a socket to a server that is about to go.
    Connection: 'close',
  });
  response.end(body);
}
