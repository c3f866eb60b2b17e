import path from 'node:path';
import { expect } from 'chai';
import { type LocalStack, startLocalStack } from '#local/local-stack';
import { LOAD_MIX } from '../../scripts/lib/load-mix';
import { REPO_ROOT } from '../support/repo-root';

const CONCURRENT_REQUESTS = 500;

describe('correctness under concurrency (local stack)', function () {
  this.timeout(60_000);
  let stack: LocalStack;

  before(async () => {
    stack = await startLocalStack({
      port: 0,
      dynamoPort: 0,
      seedFile: path.join(REPO_ROOT, 'test', 'fixtures', 'items.json'),
    });
  });
  after(() => stack?.stop());

  it(`answers ${CONCURRENT_REQUESTS} simultaneous mixed requests, each with its right status and body`, async () => {
    const hello = await (await fetch(`${stack.apiUrl}/hello`)).text();
    const requests = Array.from({ length: CONCURRENT_REQUESTS }, (_, i) => LOAD_MIX[i % LOAD_MIX.length]);
    const responses = await Promise.all(
      requests.map(async (request) => {
        const response = await fetch(`${stack.apiUrl}${request?.path}`);
        return { request, status: response.status, body: await response.text() };
      }),
    );

    const wrong = responses.filter(({ request, status }) => status !== request?.status);
    expect(wrong.map(({ request, status }) => `${request?.name}: ${status}`)).to.deep.equal([]);
    for (const { request, body } of responses) {
      if (request?.path === '/hello') expect(body).to.equal(hello);
      else expect(() => JSON.parse(body)).to.not.throw();
    }
    const requestLines = stack.lambda.logs.filter((line) => line.includes('"message":"request"'));
    expect(requestLines.length).to.be.at.least(CONCURRENT_REQUESTS);
  });
});
