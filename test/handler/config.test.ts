import { expect } from 'chai';
import sinon from 'sinon';
import { DYNAMODB_LIMITS, loadConfig } from '../../handler/src/config';
import { createHandlerFromEnv } from '../../handler/src/create-handler';
import { ConfigError } from '../../handler/src/errors';
import { eventForId, lambdaContext } from '../support/events';
import { recordingLogger } from '../support/recording-logger';
import { foundOutput } from '../support/wire';

describe('configuration', () => {
  it('reads the table, region, endpoint and CORS origin', () => {
    const config = loadConfig({
      TABLE_NAME: 'item-api-dev-items',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      CORS_ALLOW_ORIGIN: '*',
    });
    expect(config).to.deep.equal({
      tableName: 'item-api-dev-items',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:8000',
      corsAllowOrigin: '*',
      limits: DYNAMODB_LIMITS,
    });
  });

  it('leaves optional settings unset when their variables are empty', () => {
    const config = loadConfig({ TABLE_NAME: 'items', AWS_ENDPOINT_URL_DYNAMODB: '', CORS_ALLOW_ORIGIN: ' ' });
    expect(config.endpoint).to.equal(undefined);
    expect(config.corsAllowOrigin).to.equal(undefined);
  });

  const invalid: { env: Record<string, string>; variable: string }[] = [
    { env: {}, variable: 'TABLE_NAME' },
    { env: { TABLE_NAME: '  ' }, variable: 'TABLE_NAME' },
    { env: { TABLE_NAME: 'no spaces allowed' }, variable: 'TABLE_NAME' },
    {
      env: { TABLE_NAME: 'items', AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' },
      variable: 'AWS_ENDPOINT_URL_DYNAMODB',
    },
    { env: { TABLE_NAME: 'items', CORS_ALLOW_ORIGIN: 'a\r\nSet-Cookie: x' }, variable: 'CORS_ALLOW_ORIGIN' },
  ];
  for (const { env, variable } of invalid) {
    it(`names ${variable} when ${JSON.stringify(env)} is invalid`, () => {
      expect(() => loadConfig(env))
        .to.throw(ConfigError, new RegExp(`^${variable}: `))
        .with.property('variable', variable);
    });
  }

  it('keeps the DynamoDB worst case inside the 6 s Lambda timeout', () => {
    const { connectionTimeoutMs, requestTimeoutMs, timeBudgetMs } = DYNAMODB_LIMITS;
    expect(timeBudgetMs).to.be.at.least(connectionTimeoutMs + requestTimeoutMs);
    expect(timeBudgetMs).to.be.below(6000 - 1000);
  });
});

describe('wiring from the environment', () => {
  it('answers a 500 JSON error and logs the variable when TABLE_NAME is missing, without creating a client', async () => {
    const logger = recordingLogger();
    const createClient = sinon.spy();
    const handler = createHandlerFromEnv({}, { logger, clock: () => 0, createClient });
    const response = await handler(eventForId('hello'), lambdaContext());

    expect(createClient.called).to.equal(false);
    expect(response.statusCode).to.equal(500);
    expect(JSON.parse(response.body)).to.have.property('message', 'Internal server error');
    expect(response.body).to.not.include('TABLE_NAME');
    expect(logger.entries[0]).to.deep.include({ level: 'ERROR', message: 'invalid configuration' });
    expect(logger.entries[0]?.fields).to.have.property('variable', 'TABLE_NAME');
    expect(logger.entries[1]?.fields).to.deep.include({ status: 500, causeName: 'ConfigError' });
  });

  it('creates the client once, from the parsed config, and uses it for every request', async () => {
    const send = sinon.stub().resolves(foundOutput({ pk: { S: 'a' } }));
    const createClient = sinon.stub().returns({ send });
    const handler = createHandlerFromEnv(
      { TABLE_NAME: 'items' },
      { logger: recordingLogger(), clock: () => 0, createClient },
    );
    await handler(eventForId('a'), lambdaContext());
    await handler(eventForId('b'), lambdaContext());

    expect(createClient.callCount).to.equal(1);
    expect(createClient.firstCall.args[0]).to.include({ tableName: 'items' });
    expect(send.callCount).to.equal(2);
  });
});
