import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { expect } from 'chai';
import { DEFAULT_RESPONSE_SETTINGS, type ResponseSettings } from '#handler/src/config';
import { LAMBDA_LIMITS, proxyResultBytes } from '#handler/src/lambda-limits';
import { networkError, serviceError } from '../support/dynamo-errors';
import { eventForId, lambdaContext, restEvent } from '../support/events';
import { stubbedHandler } from '../support/stubbed-handler';
import { foundOutput, missingOutput } from '../support/wire';

const TABLE = 'items-test';
const STORED = { pk: { S: 'item-1' }, sk: { S: 'item-1' }, price: { N: '12.50' } };

function setup(options: { responses?: Partial<ResponseSettings>; timeBudgetMs?: number } = {}) {
  let now = 1000;
  const stubbed = stubbedHandler({
    responses: { ...DEFAULT_RESPONSE_SETTINGS, ...options.responses },
    tableName: TABLE,
    clock: () => (now += 5),
    timeBudgetMs: options.timeBudgetMs ?? 3000,
  });
  stubbed.send.resolves(foundOutput(STORED));
  return stubbed;
}

describe('GET /{id} handler', () => {
  it('reads the item with GetItem on pk = sk = the decoded id, from the configured table', async () => {
    const { send, invoke } = setup();
    await invoke(restEvent({ rawId: 'caf%C3%A9%2Fbar' }));

    expect(send.callCount).to.equal(1);
    const command = send.firstCall.args[0];
    expect(command).to.be.instanceOf(GetItemCommand);
    expect(command.input).to.deep.equal({
      TableName: TABLE,
      Key: { pk: { S: 'café/bar' }, sk: { S: 'café/bar' } },
    });
  });

  it('answers 200 with the item as JSON, its content type and a strong ETag', async () => {
    const { invoke } = setup();
    const response = await invoke(eventForId('item-1'));

    expect(response.statusCode).to.equal(200);
    expect(response.body).to.equal('{"pk":"item-1","price":12.50,"sk":"item-1"}');
    expect(response.headers).to.include({ 'Content-Type': 'application/json; charset=utf-8' });
    expect(response.headers?.ETag).to.match(/^"[A-Za-z0-9_-]{43}"$/);
  });

  it('gives a different ETag when the item changes', async () => {
    const { send, invoke } = setup();
    const before = await invoke(eventForId('item-1'));
    send.resolves(foundOutput({ ...STORED, price: { N: '12.51' } }));
    const after = await invoke(eventForId('item-1'));
    expect(after.headers?.ETag).to.not.equal(before.headers?.ETag);
  });

  describe('conditional requests', () => {
    const cases: { name: string; ifNoneMatch: (etag: string) => string; status: number }[] = [
      { name: 'the same ETag', ifNoneMatch: (etag) => etag, status: 304 },
      { name: 'the ETag in a list', ifNoneMatch: (etag) => `"other", ${etag}`, status: 304 },
      { name: 'the weak form of the ETag', ifNoneMatch: (etag) => `W/${etag}`, status: 304 },
      { name: '*', ifNoneMatch: () => '*', status: 304 },
      { name: 'another ETag', ifNoneMatch: () => '"stale"', status: 200 },
    ];
    for (const { name, ifNoneMatch, status } of cases) {
      it(`answers ${status} to If-None-Match with ${name}`, async () => {
        const { invoke } = setup();
        const first = await invoke(eventForId('item-1'));
        const etag = String(first.headers?.ETag);
        const response = await invoke(
          eventForId('item-1', { headers: { 'if-none-match': ifNoneMatch(etag) } }),
        );
        expect(response.statusCode).to.equal(status);
        expect(response.headers?.ETag).to.equal(etag);
        if (status === 304) expect(response.body).to.equal('');
      });
    }
  });

  describe('errors', () => {
    type Case = {
      name: string;
      event?: APIGatewayProxyEvent;
      dynamo?: () => Promise<unknown>;
      status: number;
      headers?: Record<string, string>;
      message?: string | RegExp;
    };
    const reject = (error: unknown) => () => Promise.reject(error);
    const cases: Case[] = [
      {
        name: 'no such item',
        dynamo: () => Promise.resolve(missingOutput()),
        status: 404,
        message: 'Item not found',
      },
      { name: 'pathParameters is null', event: restEvent({ rawId: null }), status: 400, message: /missing/ },
      { name: 'the id is empty', event: restEvent({ rawId: '' }), status: 400, message: /missing/ },
      { name: 'malformed percent-encoding %ZZ', event: restEvent({ rawId: '%ZZ' }), status: 400 },
      { name: 'truncated UTF-8 %E0%A4%A', event: restEvent({ rawId: '%E0%A4%A' }), status: 400 },
      { name: 'an encoded NUL', event: restEvent({ rawId: 'a%00b' }), status: 400, message: /control/ },
      {
        name: 'an id of 1,025 bytes',
        event: eventForId('x'.repeat(1025)),
        status: 400,
        message: /1024 bytes/,
      },
      ...['POST', 'DELETE', 'OPTIONS', 'get'].map((method) => ({
        name: method,
        event: restEvent({ method }),
        status: 405,
        headers: { Allow: 'GET, HEAD' },
      })),
      ...['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'].map(
        (name) => ({
          name,
          dynamo: reject(serviceError(name, 400)),
          status: 503,
          headers: { 'Retry-After': '1' },
        }),
      ),
      { name: 'a DynamoDB 500', dynamo: reject(serviceError('InternalServerError', 500)), status: 503 },
      { name: 'a DynamoDB 503', dynamo: reject(serviceError('ServiceUnavailable', 503)), status: 503 },
      { name: 'a request timeout', dynamo: reject(networkError('TimeoutError')), status: 503 },
      { name: 'a connection reset', dynamo: reject(networkError('Error', 'ECONNRESET')), status: 503 },
      {
        name: 'a missing table',
        dynamo: reject(serviceError('ResourceNotFoundException', 400)),
        status: 500,
      },
      { name: 'denied access', dynamo: reject(serviceError('AccessDeniedException', 400)), status: 500 },
      { name: 'an unexpected error', dynamo: reject(new TypeError('x is not a function')), status: 500 },
      { name: 'a throw from send itself', dynamo: () => { throw new Error('sync'); }, status: 500 }, // biome-ignore format: table row
    ];

    for (const { name, event, dynamo, status, headers, message } of cases) {
      it(`answers ${status} with a JSON error for ${name}`, async () => {
        const { send, invoke } = setup();
        if (dynamo) send.callsFake(dynamo);
        const response = await invoke(event ?? eventForId('item-1'));

        expect(response.statusCode).to.equal(status);
        expect(response.headers).to.include({
          'Content-Type': 'application/json; charset=utf-8',
          ...headers,
        });
        const body = JSON.parse(response.body);
        expect(Object.keys(body).sort()).to.deep.equal(['message', 'requestId']);
        expect(body.requestId).to.equal(event?.requestContext.requestId ?? body.requestId);
        if (message)
          expect(body.message).to.match(typeof message === 'string' ? new RegExp(`^${message}$`) : message);
        if (status >= 500) {
          expect(response.body).to.not.match(
            /secret-table-name|items-test|Exception|stack|amazonaws|TypeError/,
          );
        }
        if (status === 400 || status === 405)
          expect(send.called, 'DynamoDB must not be called').to.equal(false);
      });
    }
  });

  it('accepts an id of exactly 1,024 bytes of UTF-8 and sends it unchanged', async () => {
    const { send, invoke } = setup();
    const id = `${'é'.repeat(511)}xx`; // 511 × 2 bytes + 2 = 1,024
    const response = await invoke(eventForId(id));
    expect(response.statusCode).to.equal(200);
    expect(send.firstCall.args[0].input).to.have.nested.property('Key.sk.S', id);
  });

  it('answers 503 within the time budget when DynamoDB never answers', async () => {
    const { send, invoke } = setup({ timeBudgetMs: 50 });
    send.returns(new Promise(() => {}));
    const started = Date.now();
    const response = await invoke(eventForId('item-1'));
    expect(response.statusCode).to.equal(503);
    expect(Date.now() - started).to.be.lessThan(1000);
  });

  it('shrinks the budget to what is left of the Lambda timeout', async () => {
    const { send, handler } = setup({ timeBudgetMs: 60_000 });
    send.returns(new Promise(() => {}));
    const started = Date.now();
    const response = await handler(
      eventForId('item-1'),
      lambdaContext({ getRemainingTimeInMillis: () => 300 }),
    );
    expect(response.statusCode).to.equal(503);
    expect(Date.now() - started).to.be.lessThan(1000);
  });

  it('logs one structured line per request with request ids, status, latency and error name', async () => {
    const { send, logger, invoke } = setup();
    send.rejects(serviceError('ThrottlingException', 400));
    const event = eventForId('item-1');
    await invoke(event);

    expect(logger.entries).to.have.length(1);
    expect(logger.entries[0]).to.deep.include({ level: 'ERROR', message: 'request' });
    expect(logger.entries[0]?.fields).to.deep.include({
      requestId: 'lambda-request-1',
      apiRequestId: event.requestContext.requestId,
      status: 503,
      latencyMs: 5,
      errorName: 'UpstreamUnavailableError',
      causeName: 'ThrottlingException',
    });
  });

  describe("Lambda's response limit", () => {
    /** An item whose string attribute is `text`. */
    const itemWith = (text: string) => foundOutput({ ...STORED, s: { S: text } });
    /** A string of `unit`s, padded with ASCII, that makes the 200 result exactly the limit. */
    async function textAtLimit(unit: string, perUnit: number) {
      const { send, invoke } = setup();
      send.resolves(itemWith(''));
      const remaining = LAMBDA_LIMITS.responseBytes - proxyResultBytes(await invoke(eventForId('item-1')));
      return unit.repeat(Math.floor(remaining / perUnit)) + 'a'.repeat(remaining % perUnit);
    }

    // Bytes one unit adds to the result Lambda serialises: the body escapes it, then the result escapes the body.
    const units: { name: string; unit: string; perUnit: number }[] = [
      { name: 'ASCII', unit: 'a', perUnit: 1 },
      { name: 'quotes, escaped twice', unit: '"', perUnit: 4 },
      { name: 'control characters, \\u0001 in the result', unit: '\u0001', perUnit: 7 },
      { name: '3-byte UTF-8 characters', unit: '☕', perUnit: 3 },
    ];
    for (const { name, unit, perUnit } of units) {
      it(`answers 200 at exactly ${LAMBDA_LIMITS.responseBytes} bytes of serialised result and a JSON 500 one byte over (${name})`, async () => {
        const text = await textAtLimit(unit, perUnit);
        const { send, logger, invoke } = setup();

        send.resolves(itemWith(text));
        const atLimit = await invoke(eventForId('item-1'));
        expect(atLimit.statusCode).to.equal(200);
        expect(proxyResultBytes(atLimit)).to.equal(LAMBDA_LIMITS.responseBytes);

        send.resolves(itemWith(`${text}a`));
        const over = await invoke(eventForId('item-1'));
        expect(over.statusCode).to.equal(500);
        expect(JSON.parse(over.body)).to.have.property('message', 'The item is too large to return');
        expect(over.headers).to.include({ 'Content-Type': 'application/json; charset=utf-8' });
        expect(logger.entries[1]?.fields).to.deep.include({
          status: 500,
          errorName: 'ItemTooLargeError',
          responseBytes: LAMBDA_LIMITS.responseBytes + 1,
          limitBytes: LAMBDA_LIMITS.responseBytes,
        });
      });
    }

    it('still answers 304 to a matching If-None-Match for an item of ordinary size', async () => {
      const { send, invoke } = setup();
      send.resolves(itemWith('a'.repeat(1000)));
      const etag = String((await invoke(eventForId('item-1'))).headers?.ETag);
      const response = await invoke(eventForId('item-1', { headers: { 'If-None-Match': etag } }));
      expect(response.statusCode).to.equal(304);
    });
  });

  describe('5xx log lines carry the cause, the response never does', () => {
    const cases: { name: string; error: unknown; status: number; logged: Record<string, unknown> }[] = [
      {
        name: 'denied access',
        error: serviceError('AccessDeniedException', 400),
        status: 500,
        logged: {
          errorDetail: 'DynamoDB request failed: AccessDeniedException',
          causeName: 'AccessDeniedException',
          causeMessage:
            'AccessDeniedException from arn:aws:dynamodb:us-east-1:123456789012:table/secret-table-name',
          causeHttpStatus: 400,
          causeRequestId: 'DDB-REQUEST-ID',
        },
      },
      {
        name: 'throttling after the retries',
        error: serviceError('ThrottlingException', 400),
        status: 503,
        logged: { causeName: 'ThrottlingException', causeHttpStatus: 400, causeRequestId: 'DDB-REQUEST-ID' },
      },
      {
        name: 'a connection reset',
        error: networkError('Error', 'ECONNRESET'),
        status: 503,
        logged: {
          causeCode: 'ECONNRESET',
          causeMessage: 'Error talking to dynamodb.us-east-1.amazonaws.com',
        },
      },
      {
        name: 'a bug',
        error: new TypeError('x is not a function'),
        status: 500,
        logged: {
          errorDetail: 'DynamoDB request failed: TypeError',
          causeName: 'TypeError',
          causeMessage: 'x is not a function',
        },
      },
    ];
    for (const { name, error, status, logged } of cases) {
      it(`logs the message, code, HTTP status and request id of ${name}`, async () => {
        const { send, logger, invoke } = setup();
        send.rejects(error);
        const response = await invoke(eventForId('item-1'));
        expect(response.statusCode).to.equal(status);
        expect(logger.entries[0]?.fields).to.deep.include(logged);
        for (const value of Object.values(logged)) {
          if (typeof value === 'string' && !/^DynamoDB request failed/.test(value)) {
            expect(response.body).to.not.include(value);
          }
        }
      });
    }
  });

  describe('HEAD', () => {
    type Case = {
      name: string;
      dynamo?: () => Promise<unknown>;
      headers?: Record<string, string>;
      rawId?: string;
    };
    const found = () => Promise.resolve(foundOutput(STORED));
    const cases: Case[] = [
      { name: 'a found item', dynamo: found },
      { name: 'a matching If-None-Match', dynamo: found, headers: { 'If-None-Match': '*' } },
      { name: 'a missing item', dynamo: () => Promise.resolve(missingOutput()) },
      { name: 'a bad id', rawId: '%ZZ' },
      { name: 'DynamoDB throttling', dynamo: () => Promise.reject(serviceError('ThrottlingException', 400)) },
      { name: 'an item too large to return', dynamo: () => Promise.resolve(foundOutput({ ...STORED, s: { S: 'a'.repeat(LAMBDA_LIMITS.responseBytes) } })) }, // biome-ignore format: table row
    ];
    for (const { name, dynamo, headers, rawId } of cases) {
      it(`answers with GET's status and headers and no body for ${name}`, async () => {
        const { send, invoke } = setup({ responses: { corsOrigins: ['https://a.example.com', 'https://b.example.com'] } }); // biome-ignore format: long setup
        if (dynamo) send.callsFake(dynamo);
        const request = {
          rawId: rawId ?? 'item-1',
          headers: { Origin: 'https://b.example.com', ...headers },
        };
        const get = await invoke(restEvent({ ...request, method: 'GET' }));
        const head = await invoke(restEvent({ ...request, method: 'HEAD' }));

        expect(head.statusCode).to.equal(get.statusCode);
        expect(head.headers).to.deep.equal(get.headers);
        expect(head.body).to.equal('');
        if (get.statusCode !== 304) expect(get.body).to.not.equal('');
      });
    }

    it('reads the item exactly as GET does', async () => {
      const { send, invoke } = setup();
      await invoke(restEvent({ method: 'HEAD' }));
      expect(send.firstCall.args[0].input).to.deep.equal({
        TableName: TABLE,
        Key: { pk: { S: 'item-1' }, sk: { S: 'item-1' } },
      });
    });

    it('logs the request as a HEAD', async () => {
      const { logger, invoke } = setup();
      await invoke(restEvent({ method: 'HEAD' }));
      expect(logger.entries[0]?.fields).to.deep.include({ method: 'HEAD', status: 200 });
    });
  });

  it('allows OPTIONS too on a 405 when CORS is on, since the gateway answers the preflight', async () => {
    const { invoke } = setup({ responses: { corsOrigins: '*' } });
    const response = await invoke(restEvent({ method: 'PUT' }));
    expect(response.statusCode).to.equal(405);
    expect(response.headers).to.include({ Allow: 'GET, HEAD, OPTIONS' });
    expect(JSON.parse(response.body).message).to.equal('Method not allowed; use GET, HEAD, OPTIONS');
  });

  describe('Cache-Control', () => {
    type Case = {
      name: string;
      event?: APIGatewayProxyEvent;
      dynamo?: () => Promise<unknown>;
      status: number;
    };
    const cases: Case[] = [
      { name: 'the item', status: 200 },
      {
        name: 'not modified',
        event: eventForId('item-1', { headers: { 'If-None-Match': '*' } }),
        status: 304,
      },
      { name: 'a bad id', event: restEvent({ rawId: '%ZZ' }), status: 400 },
      { name: 'a missing item', dynamo: () => Promise.resolve(missingOutput()), status: 404 },
      { name: 'a method not allowed', event: restEvent({ method: 'POST' }), status: 405 },
      {
        name: 'a fault',
        dynamo: () => Promise.reject(serviceError('AccessDeniedException', 400)),
        status: 500,
      },
      { name: 'DynamoDB throttling', dynamo: () => Promise.reject(serviceError('ThrottlingException', 400)), status: 503 }, // biome-ignore format: table row
    ];
    const policies: { name: string; configured?: string; item: string }[] = [
      { name: 'by default', item: 'no-cache' },
      {
        name: 'when configured',
        configured: 'max-age=60, stale-while-revalidate=30',
        item: 'max-age=60, stale-while-revalidate=30',
      },
    ];
    for (const { name: policy, configured, item } of policies) {
      for (const { name, event, dynamo, status } of cases) {
        const expected = status < 400 ? item : 'no-store';
        it(`${policy}, sends ${expected} on ${status} (${name})`, async () => {
          const { send, invoke } = setup(configured ? { responses: { itemCacheControl: configured } } : {});
          if (dynamo) send.callsFake(dynamo);
          const response = await invoke(event ?? eventForId('item-1'));
          expect(response.statusCode).to.equal(status);
          expect(response.headers).to.have.property('Cache-Control', expected);
        });
      }
    }
  });

  describe('CORS', () => {
    const A = 'https://a.example.com';
    const B = 'https://b.example.com';
    const EVIL = 'https://evil.example.com';
    const readable = (origin: string) => ({
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': 'ETag, Retry-After',
    });
    type Case = {
      name: string;
      origins: ResponseSettings['corsOrigins'];
      headers?: Record<string, string>;
      multiValueOrigin?: string[];
      expected: Record<string, string>;
    };
    const cases: Case[] = [
      { name: 'no CORS configured', origins: undefined, headers: { Origin: A }, expected: {} },
      { name: 'any origin', origins: '*', headers: { Origin: EVIL }, expected: readable('*') },
      { name: 'any origin, no Origin sent', origins: '*', expected: readable('*') },
      { name: 'one origin, whoever asks', origins: [A], headers: { Origin: EVIL }, expected: { ...readable(A), Vary: 'Origin' } }, // biome-ignore format: table row
      { name: 'a list, a listed origin', origins: [A, B], headers: { Origin: B }, expected: { ...readable(B), Vary: 'Origin' } }, // biome-ignore format: table row
      { name: 'a list, the origin in lower case as browsers send it', origins: [A, B], headers: { origin: A }, expected: { ...readable(A), Vary: 'Origin' } }, // biome-ignore format: table row
      {
        name: 'a list, an unlisted origin',
        origins: [A, B],
        headers: { Origin: EVIL },
        expected: { Vary: 'Origin' },
      },
      { name: 'a list, a listed origin with a suffix', origins: [A, B], headers: { Origin: `${A}.evil.com` }, expected: { Vary: 'Origin' } }, // biome-ignore format: table row
      { name: 'a list, "null"', origins: [A, B], headers: { Origin: 'null' }, expected: { Vary: 'Origin' } },
      { name: 'a list, no Origin', origins: [A, B], expected: { Vary: 'Origin' } },
      { name: 'a list, a listed and an unlisted Origin header', origins: [A, B], multiValueOrigin: [A, EVIL], expected: { Vary: 'Origin' } }, // biome-ignore format: table row
    ];
    const CORS_HEADERS = ['Access-Control-Allow-Origin', 'Access-Control-Expose-Headers', 'Vary'];
    for (const { name, origins, headers, multiValueOrigin, expected } of cases) {
      for (const found of [true, false]) {
        it(`${name}: ${JSON.stringify(expected)} on a ${found ? '200' : '404'}`, async () => {
          const { send, invoke } = setup({ responses: { corsOrigins: origins } });
          if (!found) send.resolves(missingOutput());
          const event = eventForId('item-1', { headers });
          if (multiValueOrigin) {
            event.multiValueHeaders.Origin = multiValueOrigin;
            event.headers.Origin = multiValueOrigin.at(-1) as string;
          }
          const response = await invoke(event);
          expect(response.statusCode).to.equal(found ? 200 : 404);
          const sent = Object.fromEntries(
            Object.entries(response.headers ?? {}).filter(([header]) => CORS_HEADERS.includes(header)),
          );
          expect(sent).to.deep.equal(expected);
        });
      }
    }
  });

  it('never throws, even for an event that is not an API Gateway event', async () => {
    const { invoke } = setup();
    for (const event of [
      null,
      undefined,
      {},
      { httpMethod: 'GET' },
      { httpMethod: 'GET', pathParameters: { id: 7 } },
    ]) {
      const response = await invoke(event as unknown as APIGatewayProxyEvent);
      expect(response.statusCode).to.be.oneOf([400, 405, 500]);
      expect(() => JSON.parse(response.body)).to.not.throw();
    }
  });
});
