import { connect } from 'node:net';
import path from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { localClient } from '#local/local-dynamodb';
import { type LocalStack, startLocalStack } from '#local/local-stack';
import { DEFAULT_ITEM_ID, runSmoke } from '../../.github/scripts/smoke';
import { REPO_ROOT } from '../support/repo-root';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'items.json');

describe('npm start: the local stack over real HTTP', function () {
  this.timeout(30_000);
  let stack: LocalStack;

  before(async () => {
    stack = await startLocalStack({ port: 0, dynamoPort: 0, seedFile: FIXTURES, tableName: 'items' });
  });
  after(() => stack?.stop());

  it('serves a seeded item as JSON with an ETag', async () => {
    const response = await fetch(`${stack.apiUrl}/hello`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    expect(response.headers.get('etag')).to.match(/^"[\w-]+"$/);
    expect(await response.json()).to.include({ pk: 'hello', message: 'Hello from item-api' });
  });

  it('keeps the 38-digit fixture number exact end to end', async () => {
    const text = await (await fetch(`${stack.apiUrl}/big-number`)).text();
    expect(text).to.include('"exact":12345678901234567890123456789012345678');
  });

  it('passes the id still percent-encoded, as API Gateway does, and the handler decodes it', async () => {
    const response = await fetch(`${stack.apiUrl}/nested%2Fpath`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.have.property('pk', 'nested/path');
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const etag = (await fetch(`${stack.apiUrl}/hello`)).headers.get('etag') ?? '';
    const response = await fetch(`${stack.apiUrl}/hello`, { headers: { 'If-None-Match': etag } });
    expect(response.status).to.equal(304);
    expect(response.headers.get('cache-control')).to.equal('no-cache');
  });

  it("answers HEAD with GET's status and headers, and no body", async () => {
    const get = await fetch(`${stack.apiUrl}/hello`);
    const head = await fetch(`${stack.apiUrl}/hello`, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    for (const header of ['etag', 'content-type', 'cache-control'])
      expect(head.headers.get(header), header).to.equal(get.headers.get(header));
    expect(await head.text()).to.equal('');
    const missing = await fetch(`${stack.apiUrl}/does-not-exist`, { method: 'HEAD' });
    expect(missing.status).to.equal(404);
    expect(missing.headers.get('cache-control')).to.equal('no-store');
  });

  const rejections: { name: string; method?: string; path: string; status: number }[] = [
    { name: 'a missing item', path: '/does-not-exist', status: 404 },
    { name: 'an unknown route', path: '/a/b', status: 404 },
    { name: 'the root', path: '/', status: 404 },
    { name: 'malformed percent-encoding', path: '/%ZZ', status: 400 },
    { name: 'an id of 1,025 bytes', path: `/${'x'.repeat(1025)}`, status: 400 },
    // The API defines GET and HEAD only: API Gateway answers any other method before the function.
    { name: 'a DELETE', method: 'DELETE', path: '/hello', status: 404 },
    { name: 'an OPTIONS without CORS configured', method: 'OPTIONS', path: '/hello', status: 404 },
  ];
  for (const { name, method, path: urlPath, status } of rejections) {
    it(`rejects ${name} with a JSON ${status} that no cache keeps`, async () => {
      const response = await fetch(`${stack.apiUrl}${urlPath}`, { method: method ?? 'GET' });
      expect(response.status).to.equal(status);
      expect(response.headers.get('content-type')).to.match(/^application\/json/);
      expect(response.headers.get('cache-control')).to.equal('no-store');
      expect(await response.json())
        .to.have.property('message')
        .that.is.a('string');
    });
  }

  it('answers a malformed HTTP request with 400 and keeps serving', async () => {
    const port = Number(new URL(stack.apiUrl).port);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET /hello HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      );
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk;
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).to.match(/^HTTP\/1\.1 400/);
    expect((await fetch(`${stack.apiUrl}/hello`)).status).to.equal(200);
  });

  it('passes the post-deploy smoke test (.github/scripts/smoke.ts)', async () => {
    const result = await runSmoke({
      baseUrl: stack.apiUrl,
      profile: { itemId: DEFAULT_ITEM_ID, itemCacheControl: 'no-cache' },
    });
    expect(result.results.filter((r) => r.outcome !== 'passed' && r.outcome !== 'skipped')).to.deep.equal([]);
    expect(result.ok).to.equal(true);
  });

  it('lets a standard SDK client read and write the embedded DynamoDB', async () => {
    const client = localClient(stack.dynamoEndpoint);
    await client.send(
      new PutItemCommand({
        TableName: 'items',
        Item: { pk: { S: 'written' }, sk: { S: 'written' }, v: { N: '1' } },
      }),
    );
    const read = await client.send(
      new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'hello' }, sk: { S: 'hello' } } }),
    );
    client.destroy();
    expect(read.Item?.message).to.deep.equal({ S: 'Hello from item-api' });
    expect(await (await fetch(`${stack.apiUrl}/written`)).json()).to.deep.equal({
      pk: 'written',
      sk: 'written',
      v: 1,
    });
  });
});
