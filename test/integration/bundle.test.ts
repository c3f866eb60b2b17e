import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, NumberValueImpl as NumberValue } from '@aws-sdk/util-dynamodb';
import { expect } from 'chai';
import { LAMBDA_LIMITS, proxyResultBytes } from '#handler/src/lambda-limits';
import { LambdaProcess } from '#local/lambda-process';
import {
  ensureItemsTable,
  type LocalDynamo,
  localClient,
  localFunctionEnv,
  startLocalDynamo,
} from '#local/local-dynamodb';
import { isolatedBundle, withBundleOnStubbedDynamo } from '../support/bundle';
import { eventForId, restEvent } from '../support/events';

const TABLE = 'items-integration';
const LONGEST_ID = `${'ü'.repeat(511)}ok`; // 1,024 bytes of UTF-8

/** Items written through the real SDK, covering every DynamoDB type. */
const ITEMS: Record<string, unknown>[] = [
  { id: 'plain', name: 'plain item', count: 3, active: true, nothing: null },
  {
    id: 'numbers',
    exact: NumberValue.from('12345678901234567890123456789012345678'),
    tiny: NumberValue.from('0.00000000000000000000000000000000000123'),
    negative: NumberValue.from('-98765432109876543210.123456789'),
  },
  {
    id: 'sets-and-binary',
    tags: new Set(['a', 'b']),
    scores: new Set([NumberValue.from('1'), NumberValue.from('99999999999999999999999999999999999999')]),
    blob: Uint8Array.from([0, 1, 2, 255]),
    blobs: new Set([Uint8Array.from([1]), Uint8Array.from([2, 3])]),
    nested: { list: [1, 'two', { three: [] }], empty: {} },
  },
  { id: 'café ☕/😀', note: 'unicode and a slash' },
  { id: LONGEST_ID, note: 'the longest id' },
];

describe('built bundle under Node 22 against dynalite (integration)', function () {
  this.timeout(30_000);
  let dynamo: LocalDynamo;
  let lambda: LambdaProcess;
  let cleanup: () => void;

  before(async () => {
    dynamo = await startLocalDynamo();
    const client = localClient(dynamo.endpoint);
    await ensureItemsTable(client, TABLE);
    for (const { id, ...rest } of ITEMS) {
      await client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: marshall({ pk: id, sk: id, ...rest }, { convertEmptyValues: false }),
        }),
      );
    }
    // The example: about 150 KB stored, 6.4 MB of JSON if every number is written out in full.
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          pk: { S: 'padded-numbers' },
          sk: { S: 'padded-numbers' },
          l: { L: Array.from({ length: 50_000 }, () => ({ N: '-1E+125' })) },
        },
      }),
    );
    client.destroy();
    const isolated = isolatedBundle();
    cleanup = isolated.cleanup;
    lambda = await LambdaProcess.start({
      bundle: isolated.bundle,
      env: {
        TABLE_NAME: TABLE,
        ...localFunctionEnv(dynamo.endpoint),
      },
    });
  });

  after(async () => {
    await lambda?.stop();
    await dynamo?.close();
    cleanup?.();
  });

  it('answers 200 with the item as JSON', async () => {
    const response = await lambda.invoke(eventForId('plain'));
    expect(response.statusCode).to.equal(200);
    expect(response.headers).to.include({ 'Content-Type': 'application/json; charset=utf-8' });
    expect(response.body).to.equal(
      '{"active":true,"count":3,"name":"plain item","nothing":null,"pk":"plain","sk":"plain"}',
    );
  });

  it('keeps every digit of 38-digit numbers', async () => {
    const response = await lambda.invoke(eventForId('numbers'));
    expect(response.body).to.include('"exact":12345678901234567890123456789012345678');
    expect(response.body).to.match(/"negative":-98765432109876543210\.123456789[,}]/);
    expect(response.body).to.match(/"tiny":(0\.00000000000000000000000000000000000123|1\.23e-36)[,}]/i);
  });

  it('renders sets as arrays and binary as base64', async () => {
    const body = JSON.parse((await lambda.invoke(eventForId('sets-and-binary'))).body);
    expect(body.blob).to.equal('AAEC/w==');
    expect([...body.blobs].sort()).to.deep.equal(['AQ==', 'AgM=']);
    expect([...body.tags].sort()).to.deep.equal(['a', 'b']);
    expect(body.nested).to.deep.equal({ empty: {}, list: [1, 'two', { three: [] }] });
    const response = await lambda.invoke(eventForId('sets-and-binary'));
    expect(response.body).to.include('99999999999999999999999999999999999999');
  });

  it('decodes a percent-encoded unicode id containing a slash', async () => {
    const response = await lambda.invoke(restEvent({ rawId: 'caf%C3%A9%20%E2%98%95%2F%F0%9F%98%80' }));
    expect(response.statusCode).to.equal(200);
    expect(JSON.parse(response.body)).to.have.property('note', 'unicode and a slash');
  });

  it('serves an id of exactly 1,024 bytes', async () => {
    const response = await lambda.invoke(eventForId(LONGEST_ID));
    expect(response.statusCode).to.equal(200);
    expect(JSON.parse(response.body)).to.have.property('pk', LONGEST_ID);
  });

  it("returns an item whose numbers DynamoDB writes out in full within Lambda's response limit, every digit kept", async () => {
    const response = await lambda.invoke(eventForId('padded-numbers'));
    expect(response.statusCode).to.equal(200);
    expect(proxyResultBytes(response)).to.be.below(LAMBDA_LIMITS.responseBytes);
    const list = JSON.parse(response.body).l;
    expect(list).to.have.length(50_000);
    expect(response.body).to.include('"l":[-1e+125,-1e+125,');
  });

  it('answers 304 to a request carrying the ETag it was given', async () => {
    const first = await lambda.invoke(eventForId('plain'));
    const etag = String(first.headers?.ETag);
    const second = await lambda.invoke(eventForId('plain', { headers: { 'If-None-Match': etag } }));
    expect(second.statusCode).to.equal(304);
    expect(second.body).to.equal('');
    expect(second.headers?.ETag).to.equal(etag);
  });

  const errors: { name: string; event: () => ReturnType<typeof restEvent>; status: number }[] = [
    { name: 'a missing item', event: () => eventForId('nope'), status: 404 },
    { name: 'malformed percent-encoding', event: () => restEvent({ rawId: '%E0%A4%A' }), status: 400 },
    { name: 'an id of 1,025 bytes', event: () => eventForId(`${LONGEST_ID}!`), status: 400 },
    { name: 'a POST', event: () => restEvent({ method: 'POST', rawId: 'plain' }), status: 405 },
  ];
  for (const { name, event, status } of errors) {
    it(`answers ${status} with a JSON error for ${name}`, async () => {
      const request = event();
      const response = await lambda.invoke(request);
      expect(response.statusCode).to.equal(status);
      expect(JSON.parse(response.body)).to.deep.equal({
        message: JSON.parse(response.body).message,
        requestId: request.requestContext.requestId,
      });
    });
  }

  it('logs one JSON line per request', async () => {
    const before = lambda.logs.length;
    const event = eventForId('plain');
    await lambda.invoke(event);
    const lines = lambda.logs.slice(before).map((line) => JSON.parse(line));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({
      level: 'INFO',
      message: 'request',
      status: 200,
      apiRequestId: event.requestContext.requestId,
    });
    expect(lines[0].latencyMs).to.be.a('number');
  });

  it('keeps only the latest log lines, so a long-running local stack does not grow', async () => {
    const isolated = isolatedBundle();
    const chatty = await LambdaProcess.start({
      bundle: isolated.bundle,
      keepLogLines: 3,
      env: {
        TABLE_NAME: TABLE,
        ...localFunctionEnv(dynamo.endpoint),
      },
    });
    try {
      for (let i = 0; i < 20; i++) await chatty.invoke(eventForId('plain'));
      await new Promise((resolve) => setTimeout(resolve, 50)); // the last lines are still in the pipe
      expect(chatty.logs.length).to.be.within(3, 6);
    } finally {
      await chatty.stop();
      isolated.cleanup();
    }
  });

  describe('attribute names JavaScript objects treat specially (a stubbed DynamoDB: dynalite drops __proto__)', () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    it(`renders ${names.join(', ')} at the top level and nested`, async () => {
      const attributes = names
        .map((name) => `${JSON.stringify(name)}:{"S":${JSON.stringify(name)}}`)
        .join(',');
      const body = `{"Item":{"pk":{"S":"odd"},"sk":{"S":"odd"},${attributes},"nested":{"M":{${attributes}}}}}`;
      await withBundleOnStubbedDynamo(body, async (lambda) => {
        const response = await lambda.invoke(eventForId('odd'));
        expect(response.statusCode, response.body).to.equal(200);
        const keys = (text: string) => Object.keys(JSON.parse(text));
        expect(keys(response.body)).to.have.members(['pk', 'sk', 'nested', ...names]);
        const nested = response.body.slice(response.body.indexOf('"nested":') + '"nested":'.length);
        for (const name of names)
          expect(nested).to.include(`${JSON.stringify(name)}:${JSON.stringify(name)}`);
      });
    });
  });

  it("answers a JSON 500 with its size in the log, never a result over Lambda's limit, for an item too large to return (a stubbed DynamoDB)", async () => {
    // DynamoDB caps items at 400 KB, which renders well below the limit; only a stub can send more.
    const body = JSON.stringify({
      Item: { pk: { S: 'huge' }, sk: { S: 'huge' }, s: { S: 'x'.repeat(LAMBDA_LIMITS.responseBytes) } },
    });
    await withBundleOnStubbedDynamo(body, async (huge) => {
      const response = await huge.invoke(eventForId('huge'));
      expect(response.statusCode).to.equal(500);
      expect(JSON.parse(response.body)).to.have.property('message', 'The item is too large to return');
      const logged = huge.logs.map((line) => JSON.parse(line)).find((line) => line.message === 'request');
      expect(logged).to.include({ level: 'ERROR', status: 500, limitBytes: LAMBDA_LIMITS.responseBytes });
      expect(logged.responseBytes).to.be.above(LAMBDA_LIMITS.responseBytes);
    });
  });

  describe('faults, through the same bundle', () => {
    const faults: { name: string; env: (endpoint: string) => Record<string, string>; status: number }[] = [
      {
        name: 'TABLE_NAME is missing',
        env: (endpoint) => ({ AWS_ENDPOINT_URL_DYNAMODB: endpoint }),
        status: 500,
      },
      {
        name: 'the table does not exist',
        env: (endpoint) => ({ TABLE_NAME: 'no-such-table', AWS_ENDPOINT_URL_DYNAMODB: endpoint }),
        status: 500,
      },
      {
        name: 'DynamoDB refuses connections',
        env: () => ({ TABLE_NAME: TABLE, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' }),
        status: 503,
      },
    ];
    for (const { name, env, status } of faults) {
      it(`answers ${status} without internals when ${name}`, async () => {
        const isolated = isolatedBundle();
        const faulty = await LambdaProcess.start({
          bundle: isolated.bundle,
          env: { ...localFunctionEnv(dynamo.endpoint), ...env(dynamo.endpoint) },
        });
        try {
          const response = await faulty.invoke(eventForId('plain'));
          expect(response.statusCode).to.equal(status);
          expect(response.body).to.not.match(/no-such-table|TABLE_NAME|Exception|ECONNREFUSED|127\.0\.0\.1/);
          if (status === 503) expect(response.headers).to.include({ 'Retry-After': '1' });
          const logged = faulty.logs
            .map((line) => JSON.parse(line))
            .filter((line) => line.message === 'request');
          expect(logged).to.have.length(1);
          expect(logged[0]).to.include({ level: 'ERROR', status });
        } finally {
          await faulty.stop();
          isolated.cleanup();
        }
      });
    }
  });
});
