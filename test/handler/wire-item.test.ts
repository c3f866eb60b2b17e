import { DynamoDBClient, GetItemCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { createItemsRepository } from '#handler/src/items-repository';
import { keepWireBody, parseGetItemBody, WIRE_BODY, type WireGetItemOutput } from '#handler/src/wire-item';
import { DYNAMODB_JSON, type HttpStub, startGetItemStub, startHttpStub } from '../support/http-stub';

const WIRE =
  '{"Item":{"pk":{"S":"a"},"sk":{"S":"a"},"__proto__":{"S":"p"},"blob":{"B":"AAEC"},"n":{"N":"1E+125"}}}';

function clientFor(stub: HttpStub): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: stub.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });
}

describe('keeping the GetItem wire JSON (real SDK over HTTP)', () => {
  let stub: HttpStub | undefined;
  let client: DynamoDBClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await stub?.close();
  });

  it('puts the exact response body on the output and skips the SDK deserialising the item', async () => {
    stub = await startGetItemStub(WIRE);
    client = clientFor(stub);
    const command = keepWireBody(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'a' } } }));
    const output: WireGetItemOutput = await client.send(command);
    expect(output[WIRE_BODY]).to.equal(WIRE);
    expect(output.Item).to.equal(undefined);
    expect(output.$metadata.httpStatusCode).to.equal(200);
  });

  it('leaves error responses to the SDK, which still raises its typed exceptions', async () => {
    stub = await startHttpStub((_req, res) => {
      res.writeHead(400, { 'Content-Type': DYNAMODB_JSON, 'x-amzn-RequestId': 'REQ-1' });
      res.end('{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}');
    });
    client = clientFor(stub);
    const error = await createItemsRepository({ client, tableName: 'items' })
      .getItem('a')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).$metadata.requestId).to.equal('REQ-1');
  });

  it('gives the repository every attribute, whatever its name', async () => {
    stub = await startGetItemStub(WIRE);
    client = clientFor(stub);
    const item = await createItemsRepository({ client, tableName: 'items' }).getItem('a');
    expect(Object.keys(item ?? {})).to.deep.equal(['pk', 'sk', '__proto__', 'blob', 'n']);
    expect(Object.getOwnPropertyDescriptor(item, '__proto__')?.value).to.deep.equal({ S: 'p' });
  });
});

describe('parsing a GetItem body', () => {
  const cases: { name: string; body: string | undefined; result?: unknown; error?: RegExp }[] = [
    { name: 'a found item', body: '{"Item":{"pk":{"S":"a"}}}', result: { pk: { S: 'a' } } },
    { name: 'no item', body: '{}', result: null },
    { name: 'an empty body', body: '', result: null },
    { name: 'a body that was never kept', body: undefined, error: /not kept/ },
    { name: 'malformed JSON', body: '{"Item":', error: /JSON/ },
    { name: 'an Item that is not an object', body: '{"Item":[1]}', error: /not a JSON object/ },
    { name: 'a body that is not an object', body: '"x"', error: /not a JSON object/ },
  ];
  for (const { name, body, result, error } of cases) {
    it(`handles ${name}`, () => {
      if (error) expect(() => parseGetItemBody(body)).to.throw(error);
      else expect(parseGetItemBody(body)).to.deep.equal(result);
    });
  }
});
