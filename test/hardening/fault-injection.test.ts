import { expect } from 'chai';
import { LambdaProcess } from '#local/lambda-process';
import { localFunctionEnv } from '#local/local-dynamodb';
import { DYNAMODB_LIMITS } from '#shared/rules';
import { isolatedBundle } from '../support/bundle';
import { eventForId } from '../support/events';
import { type Fault, startFaultServer } from '../support/fault-server';

/** Headroom for process scheduling on a loaded machine; the budget itself is the bound under test. */
const SCHEDULING_SLACK_MS = 750;

/** How many attempts the SDK makes: all it may, at least a retry (a stall ends with the budget), or any. */
type Attempts = 'all' | 'retried' | 'any';

const FAULTS: { fault: Fault; status: 500 | 503; attempts: Attempts }[] = [
  { fault: 'stall', status: 503, attempts: 'retried' },
  { fault: 'reset', status: 503, attempts: 'all' },
  { fault: 'http-500', status: 503, attempts: 'all' },
  { fault: 'http-503', status: 503, attempts: 'all' },
  { fault: 'throttling', status: 503, attempts: 'all' },
  { fault: 'provisioned-throughput', status: 503, attempts: 'all' },
  { fault: 'malformed-json', status: 500, attempts: 'any' },
  { fault: 'truncated-body', status: 503, attempts: 'any' },
];

describe('fault injection: the shipped bundle against a misbehaving DynamoDB', function () {
  this.timeout(30_000);
  let bundle: ReturnType<typeof isolatedBundle>;
  before(() => {
    bundle = isolatedBundle();
  });
  after(() => bundle?.cleanup());

  for (const { fault, status, attempts } of FAULTS) {
    it(`answers ${status}${status === 503 ? ' with Retry-After' : ''} within the time budget when DynamoDB gives ${fault}`, async () => {
      const server = await startFaultServer(fault);
      const lambda = await LambdaProcess.start({
        bundle: bundle.bundle,
        env: { TABLE_NAME: 'items', ...localFunctionEnv(server.endpoint) },
      });
      try {
        const started = performance.now();
        const response = await lambda.invoke(eventForId('item-1'));
        const elapsed = performance.now() - started;

        expect(response.statusCode).to.equal(status);
        expect(elapsed).to.be.below(DYNAMODB_LIMITS.timeBudgetMs + SCHEDULING_SLACK_MS);
        const body = JSON.parse(response.body);
        expect(Object.keys(body).sort()).to.deep.equal(['message', 'requestId']);
        expect(response.body).to.not.match(/injected|Exception|127\.0\.0\.1|items/);
        if (status === 503) expect(response.headers).to.include({ 'Retry-After': '1' });
        if (attempts === 'all')
          expect(server.requests, 'the SDK retries before giving up').to.equal(DYNAMODB_LIMITS.maxAttempts);
        if (attempts === 'retried')
          expect(
            server.requests,
            'a stalled attempt is abandoned at requestTimeout and retried',
          ).to.be.at.least(2);

        const lines = lambda.logs
          .map((line) => JSON.parse(line))
          .filter((line) => line.message === 'request');
        expect(lines).to.have.length(1);
        expect(lines[0]).to.include({ level: 'ERROR', status });
        expect(lines[0].errorName).to.be.a('string');
        expect(lines[0].causeMessage, 'the log says why').to.be.a('string');
        if (fault.startsWith('http-') || fault.endsWith('throttling') || fault === 'provisioned-throughput') {
          // The SDK's own error: DynamoDB's message, status and request id, for the operator only.
          expect(lines[0]).to.include({ causeRequestId: 'FAULT' });
          expect(lines[0].causeHttpStatus).to.be.a('number');
          expect(lines[0].causeMessage).to.match(/injected/);
        }
      } finally {
        await lambda.stop();
        await server.close();
      }
    });
  }
});
