import { createSecureContext } from 'node:tls';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { ProxyHandler } from './get-item-handler';
import { createJsonLogger, type Logger } from './logger';
import { openLoopback, type PrimableClient } from './prime-loopback';

export interface PrimeTargets {
  /** The client the handler uses: priming warms its middleware, endpoint, signer and HTTP handler. */
  readonly client: PrimableClient;
  /** The real handler over that client, logging to `logger`: priming passes one that writes nothing. */
  readonly handlerWith: (logger: Logger) => ProxyHandler;
  /** Where a priming failure is reported, once. */
  readonly logger: Logger;
}

export interface PrimeOptions {
  /** Upper bound on the whole of priming; past it, init goes on unprimed. @default PRIME_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

/**
 * Lambda runs init with more CPU than the memory size buys the first invoke (bench/README.md), so a
 * few ms of init work here saves the first request many times that. Ample for the work at the
 * init burst, and short enough that a hang costs one cold start little.
 */
export const PRIME_TIMEOUT_MS = 1000;

const PRIME_ID = 'item-api-prime';

/**
 * Runs one request through the real handler and client during init, so the first client request
 * runs code that has run before: the handler's parsing, rendering, ETag and log formatting; the
 * SDK's endpoint rules, credentials, signer, retry and (de)serialisers; the client's HTTP handler
 * and Node's HTTP client and parser. DynamoDB is not called: the request goes to a stand-in on
 * the loopback interface inside this process. TLS cannot be exercised without a server certificate
 * the client trusts, so only its process-wide part, the root certificate store, is built here
 * (bench/README.md has what a loopback TLS handshake and a real call to DynamoDB would add, and why
 * neither ships).
 *
 * Priming never throws, never outlives its bound, never logs a request line and leaves nothing
 * behind: the stand-in server, its connection and the redirect are gone before this resolves.
 */
export async function primeAtInit(targets: PrimeTargets, options: PrimeOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? PRIME_TIMEOUT_MS;
  const session = new PrimingSession();
  const reportFailure = onceLogger(targets.logger);
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = primeThroughLoopback(targets, session, timeoutMs);
    // An abandoned attempt may still reject later; that is expected, not unhandled.
    work.catch(() => {});
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`priming took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([work, bound]);
  } catch (error) {
    reportFailure(error);
  } finally {
    clearTimeout(timer);
    await session.end().catch(reportFailure);
  }
}

/**
 * What priming has opened, closed when it ends however it ends. Whatever an abandoned attempt
 * opens after that is closed at once, before anything else can run, so a request that arrives
 * after init can never meet a redirect.
 */
class PrimingSession {
  private readonly ended = new AbortController();
  private readonly open: { close(): Promise<void> }[] = [];

  /** Aborted when priming ends: what is still being opened then closes itself instead. */
  get signal(): AbortSignal {
    return this.ended.signal;
  }

  /** Adopts a resource, or closes it and throws if priming is already over. */
  async adopt<T extends { close(): Promise<void> }>(resource: T): Promise<T> {
    if (this.ended.signal.aborted) {
      await resource.close();
      throw new Error('priming was abandoned');
    }
    this.open.push(resource);
    return resource;
  }

  async end(): Promise<void> {
    this.ended.abort();
    for (const resource of this.open.splice(0).reverse()) await resource.close();
  }
}

async function primeThroughLoopback(
  targets: PrimeTargets,
  session: PrimingSession,
  timeoutMs: number,
): Promise<void> {
  // The first TLS connection builds the root certificate store all default secure contexts share.
  createSecureContext();
  const loopback = await session.adopt(await openLoopback(targets.client, session.signal));
  // The line is formatted as a real one would be, then dropped.
  const handler = targets.handlerWith(createJsonLogger(() => {}));
  // The handler's own DynamoDB budget ends a hung request inside the priming bound.
  const response = await handler(primeEvent(), primeContext(timeoutMs));
  if (response.statusCode !== 200 || loopback.requests !== 1) {
    throw new Error(
      `the priming request answered ${response.statusCode} after ${loopback.requests} loopback requests`,
    );
  }
}

/** The first failure of a priming run is logged; a cleanup failing after it adds nothing new. */
function onceLogger(logger: Logger): (error: unknown) => void {
  let logged = false;
  return (error) => {
    if (logged) return;
    logged = true;
    try {
      logger.log('WARN', 'init priming skipped', {
        errorName: error instanceof Error ? error.name : typeof error,
        errorDetail: error instanceof Error ? error.message : String(error),
      });
    } catch {
      // Logging must not fail init either.
    }
  };
}

/** A GET as API Gateway REST sends it; nothing in it reaches a log or a client. */
function primeEvent(): APIGatewayProxyEvent {
  const headers = { Accept: 'application/json', Host: 'prime.invalid', 'User-Agent': PRIME_ID };
  return {
    resource: '/{id}',
    path: `/${PRIME_ID}`,
    httpMethod: 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { id: PRIME_ID },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: PRIME_ID } as APIGatewayProxyEvent['requestContext'],
  };
}

function primeContext(timeoutMs: number): Context {
  return {
    awsRequestId: PRIME_ID,
    callbackWaitsForEmptyEventLoop: true,
    functionName: PRIME_ID,
    functionVersion: '$LATEST',
    invokedFunctionArn: PRIME_ID,
    memoryLimitInMB: '0',
    logGroupName: PRIME_ID,
    logStreamName: PRIME_ID,
    getRemainingTimeInMillis: () => timeoutMs,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
