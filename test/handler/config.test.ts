import { expect } from 'chai';
import { build } from 'esbuild';
import sinon from 'sinon';
import { PRODUCTION_BUILD } from '#handler/build-options';
import { loadConfig, loadResponseSettings } from '#handler/src/config';
import { createHandlerFromEnv } from '#handler/src/create-handler';
import { ConfigError } from '#handler/src/errors';
import {
  type CachePolicy,
  type CorsOrigins,
  formatCorsOrigins,
  itemCacheControl,
} from '#shared/response-policy';
import { DYNAMODB_LIMITS } from '#shared/rules';
import { eventForId, lambdaContext } from '../support/events';
import {
  HOSTILE_CACHE_CONTROLS,
  HOSTILE_ORIGINS,
  REAL_CACHE_CONTROLS,
  REAL_ORIGINS,
} from '../support/hostile-settings';
import { recordingLogger } from '../support/recording-logger';
import { REPO_ROOT } from '../support/repo-root';
import { foundOutput } from '../support/wire';

describe('configuration', () => {
  it('reads the table, region, endpoint, CORS origins and Cache-Control', () => {
    const config = loadConfig({
      TABLE_NAME: 'item-api-dev-items',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      CORS_ALLOW_ORIGIN: '*',
      CACHE_CONTROL: 'max-age=60',
    });
    expect(config).to.deep.equal({
      tableName: 'item-api-dev-items',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:8000',
      responses: { corsOrigins: '*', itemCacheControl: 'max-age=60' },
      limits: DYNAMODB_LIMITS,
    });
  });

  it('leaves optional settings unset when their variables are empty, and items revalidated (no-cache)', () => {
    const config = loadConfig({
      TABLE_NAME: 'items',
      AWS_ENDPOINT_URL_DYNAMODB: '',
      CORS_ALLOW_ORIGIN: ' ',
      CACHE_CONTROL: '',
    });
    expect(config.endpoint).to.equal(undefined);
    expect(config.responses).to.deep.equal({ corsOrigins: undefined, itemCacheControl: 'no-cache' });
  });

  const origins: { value: string; parsed: CorsOrigins }[] = [
    { value: '*', parsed: '*' },
    { value: 'https://app.example.com', parsed: ['https://app.example.com'] },
    { value: 'https://a.example.com,http://127.0.0.1:8080', parsed: ['https://a.example.com', 'http://127.0.0.1:8080'] }, // biome-ignore format: table row
    { value: ' https://a.example.com , https://b.example.com ', parsed: ['https://a.example.com', 'https://b.example.com'] }, // biome-ignore format: table row
  ];
  for (const { value, parsed } of origins) {
    it(`reads CORS_ALLOW_ORIGIN=${JSON.stringify(value)} as ${JSON.stringify(parsed)}`, () => {
      expect(loadResponseSettings({ CORS_ALLOW_ORIGIN: value }).corsOrigins).to.deep.equal(parsed);
    });
  }

  // What infra passes the function must read back as the same setting.
  const deployed: { origins: CorsOrigins; policy?: CachePolicy }[] = [
    { origins: '*' },
    { origins: ['https://app.example.com'], policy: { maxAgeSeconds: 0 } },
    { origins: ['https://a.example.com', 'https://b.example.com:8443'], policy: { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 600 } }, // biome-ignore format: table row
  ];
  for (const { origins: configured, policy } of deployed) {
    it(`reads back what infra renders for ${JSON.stringify(configured)} and ${JSON.stringify(policy)}`, () => {
      const env = {
        CORS_ALLOW_ORIGIN: formatCorsOrigins(configured),
        ...(policy && { CACHE_CONTROL: itemCacheControl(policy) }),
      };
      expect(loadResponseSettings(env)).to.deep.equal({
        corsOrigins: configured,
        itemCacheControl: itemCacheControl(policy),
      });
    });
  }

  const invalid: { env: Record<string, string>; variable: string }[] = [
    { env: {}, variable: 'TABLE_NAME' },
    { env: { TABLE_NAME: '  ' }, variable: 'TABLE_NAME' },
    { env: { TABLE_NAME: 'no spaces allowed' }, variable: 'TABLE_NAME' },
    {
      env: { TABLE_NAME: 'items', AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' },
      variable: 'AWS_ENDPOINT_URL_DYNAMODB',
    },
    ...[
      'a\r\nSet-Cookie: x',
      'https://app.example.com\r\nSet-Cookie: x',
      'https://app.example.com/',
      'https://app.example.com/path',
      'app.example.com',
      'https://App.example.com',
      'https://app.example.com:443',
      '*,https://app.example.com',
      'https://a.example.com,https://a.example.com',
      'null',
      ',',
    ].map((value) => ({
      env: { TABLE_NAME: 'items', CORS_ALLOW_ORIGIN: value },
      variable: 'CORS_ALLOW_ORIGIN',
    })),
    ...[
      'max-age=60\r\nSet-Cookie: x',
      'max-age=60\nX: y',
      'max-age 60',
      'max-age=60,',
      'max-age=60;private',
      'private="unterminated',
      'max-age=é',
    ].map((value) => ({ env: { TABLE_NAME: 'items', CACHE_CONTROL: value }, variable: 'CACHE_CONTROL' })),
  ];
  for (const { env, variable } of invalid) {
    it(`names ${variable} when ${JSON.stringify(env)} is invalid`, () => {
      expect(() => loadConfig(env))
        .to.throw(ConfigError, new RegExp(`^${variable}: `))
        .with.property('variable', variable);
    });
  }

  for (const value of REAL_CACHE_CONTROLS) {
    it(`accepts CACHE_CONTROL=${JSON.stringify(value)} as it is`, () => {
      expect(loadResponseSettings({ CACHE_CONTROL: value }).itemCacheControl).to.equal(value);
    });
  }

  it('keeps the DynamoDB worst case inside the 6 s Lambda timeout', () => {
    const { connectionTimeoutMs, requestTimeoutMs, timeBudgetMs } = DYNAMODB_LIMITS;
    expect(timeBudgetMs).to.be.at.least(connectionTimeoutMs + requestTimeoutMs);
    expect(timeBudgetMs).to.be.below(6000 - 1000);
  });
});

describe('CORS_ALLOW_ORIGIN and CACHE_CONTROL: hostile values, each refused with its message', () => {
  const corsError = (problem: string) =>
    `CORS_ALLOW_ORIGIN: must be "*" or origins separated by commas: ${problem}`;
  for (const { origin, problem } of HOSTILE_ORIGINS) {
    it(`refuses the origin ${JSON.stringify(origin.slice(0, 40))}`, () => {
      expect(() => loadResponseSettings({ CORS_ALLOW_ORIGIN: `https://ok.example.com,${origin}` }))
        .to.throw(ConfigError)
        .with.property('message', corsError(problem));
    });
  }

  it('refuses "*" inside a list, an origin listed twice, and a list of commas', () => {
    const refused = (value: string) => () => loadResponseSettings({ CORS_ALLOW_ORIGIN: value });
    expect(refused('https://a.com,*')).to.throw(
      corsError('"*" allows every origin, so it must be the whole setting, not part of a list'),
    );
    expect(refused('https://a.com, https://a.com')).to.throw(corsError('lists an origin twice'));
    expect(refused(',,')).to.throw(corsError('must name at least one origin'));
  });

  for (const origin of REAL_ORIGINS) {
    it(`accepts the origin ${origin}, as browsers send it`, () => {
      expect(loadResponseSettings({ CORS_ALLOW_ORIGIN: origin }).corsOrigins).to.deep.equal([origin]);
    });
  }

  for (const { value, problem } of HOSTILE_CACHE_CONTROLS) {
    it(`refuses CACHE_CONTROL=${JSON.stringify(value.slice(0, 40))}`, () => {
      expect(() => loadResponseSettings({ CACHE_CONTROL: value }))
        .to.throw(ConfigError)
        .with.property('message', `CACHE_CONTROL: ${problem}`);
    });
  }

  it('checks origins with the URL that Node has built in: the bundled rule brings no URL library', async () => {
    const { entryPoints: _entry, outfile: _outfile, ...production } = PRODUCTION_BUILD;
    const result = await build({
      ...production,
      stdin: {
        contents: "export { loadResponseSettings } from '#handler/src/config';",
        resolveDir: REPO_ROOT,
        loader: 'ts',
      },
      write: false,
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.includes('node_modules'))).to.deep.equal([]);
    expect(inputs).to.include('shared/cors-origin.ts');
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).to.match(/new URL\(/);
    expect(code).to.not.match(/from\s*"(node:)?url"|require\("(node:)?url"\)/);
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

  it('answers with the configured CORS origins and Cache-Control', async () => {
    const send = sinon.stub().resolves(foundOutput({ pk: { S: 'a' } }));
    const handler = createHandlerFromEnv(
      {
        TABLE_NAME: 'items',
        CORS_ALLOW_ORIGIN: 'https://a.example.com,https://b.example.com',
        CACHE_CONTROL: 'max-age=5',
      },
      { logger: recordingLogger(), clock: () => 0, createClient: () => ({ send }) },
    );
    const response = await handler(
      eventForId('a', { headers: { Origin: 'https://b.example.com' } }),
      lambdaContext(),
    );
    expect(response.headers).to.include({
      'Access-Control-Allow-Origin': 'https://b.example.com',
      'Cache-Control': 'max-age=5',
    });
  });

  it('answers a 500 that no cache keeps, and logs CACHE_CONTROL, when CACHE_CONTROL is invalid', async () => {
    const logger = recordingLogger();
    const handler = createHandlerFromEnv(
      { TABLE_NAME: 'items', CACHE_CONTROL: 'max-age=1\r\nSet-Cookie: a=b' },
      { logger, clock: () => 0, createClient: sinon.spy() },
    );
    const response = await handler(eventForId('hello'), lambdaContext());
    expect(response.statusCode).to.equal(500);
    expect(response.headers).to.include({ 'Cache-Control': 'no-store' });
    expect(JSON.stringify(response.headers)).to.not.include('Set-Cookie');
    expect(logger.entries[0]?.fields).to.have.property('variable', 'CACHE_CONTROL');
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
