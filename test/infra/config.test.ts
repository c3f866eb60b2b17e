import { expect } from 'chai';
import { ConfigValidationError } from '#shared/validation';
import { ENVIRONMENTS, type EnvironmentConfig, validateEnvironments } from '../../infra/config';
import { GET_ITEM_FUNCTION_DEFAULTS } from '../../infra/get-item-function';
import { stateBackendFromEnv } from '../../infra/state-backend';
import { configProblems, environment, expectProblem } from './synth';

const dev = environment('dev');
const CERTIFICATE = (region: string) =>
  `arn:aws:acm:${region}:123456789012:certificate/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc`;

describe('environment config', () => {
  it('defines dev and prod, valid, with distinct prefixes, and deletion protection left on in prod', () => {
    expect(ENVIRONMENTS.map((e) => e.name)).to.include.members(['dev', 'prod']);
    expect(() => validateEnvironments(ENVIRONMENTS)).not.to.throw();
    expect(new Set(ENVIRONMENTS.map((e) => e.namePrefix)).size).to.equal(ENVIRONMENTS.length);
    expect(environment('prod').table?.deletionProtection).to.equal(undefined);
  });

  it(`leaves the function at its defaults (${GET_ITEM_FUNCTION_DEFAULTS.memoryMb} MB, ${GET_ITEM_FUNCTION_DEFAULTS.timeoutSeconds} s, unreserved)`, () => {
    for (const config of ENVIRONMENTS) {
      expect(config.fn?.memoryMb, config.name).to.equal(undefined);
      expect(config.fn?.timeoutSeconds, config.name).to.equal(undefined);
      expect(config.fn?.reservedConcurrency, config.name).to.equal(undefined);
    }
  });

  const INVALID: readonly [string, Partial<EnvironmentConfig>, RegExp][] = [
    ['a name with capitals', { name: 'Dev' }, /^environments\.Dev\.name /],
    ['a made-up region', { region: 'moon-1' }, /^environments\.dev\.region must be an AWS region/],
    ['a prefix with capitals', { namePrefix: 'Item-Api' }, /^environments\.dev\.namePrefix /],
    ['memory below 128 MB', { fn: { memoryMb: 64 } }, /^environments\.dev\.fn\.memoryMb .*128 to 10240/],
    ['fractional memory', { fn: { memoryMb: 256.5 } }, /^environments\.dev\.fn\.memoryMb /],
    [
      'a timeout inside the DynamoDB time budget plus headroom',
      { fn: { timeoutSeconds: 4 } },
      /^environments\.dev\.fn\.timeoutSeconds .*above 4 .*3000 ms/,
    ],
    [
      'a timeout above 10 s',
      { fn: { timeoutSeconds: 11 } },
      /^environments\.dev\.fn\.timeoutSeconds .*at most 10/,
    ],
    [
      'zero reserved concurrency',
      { fn: { reservedConcurrency: 0 } },
      /^environments\.dev\.fn\.reservedConcurrency /,
    ],
    [
      'a zero rate limit',
      { api: { throttling: { rateLimit: 0, burstLimit: 10 } } },
      /^environments\.dev\.api\.throttling\.rateLimit must be a positive number/,
    ],
    [
      'a zero burst',
      { api: { throttling: { rateLimit: 10, burstLimit: 0 } } },
      /^environments\.dev\.api\.throttling\.burstLimit must be a whole number/,
    ],
    [
      'a retention CloudWatch rejects',
      { logRetentionDays: 10 },
      /^environments\.dev\.logRetentionDays .*14, 30/,
    ],
    [
      'an origin with a path',
      { corsAllowOrigins: ['https://a.example/x'] },
      /^environments\.dev\.corsAllowOrigins .*"https:\/\/a\.example\/x" is not an origin/,
    ],
    ['an empty origin list', { corsAllowOrigins: [] }, /^environments\.dev\.corsAllowOrigins .*at least one/],
    [
      '"*" inside a list',
      { corsAllowOrigins: ['https://a.example', '*'] },
      /^environments\.dev\.corsAllowOrigins .*"\*" only alone/,
    ],
    [
      'a negative max-age',
      { fn: { cacheControl: { maxAgeSeconds: -1 } } },
      /^environments\.dev\.fn\.cacheControl maxAgeSeconds must be a whole number/,
    ],
    [
      'a custom domain with a certificate from another region',
      { api: { customDomain: { domainName: 'api.example.com', certificateArn: CERTIFICATE('eu-west-1') } } },
      /^environments\.dev\.api\.customDomain\.certificateArn must be in the stack's region \(us-east-1\)/,
    ],
    ['a stage name with a dash', { api: { stageName: 'v-1' } }, /^environments\.dev\.api\.stageName /],
    [
      'an alarm email list',
      { alarms: { email: 'a@x.com,b@x.com' } },
      /^environments\.dev\.alarms\.email must be one email/,
    ],
  ];
  for (const [title, change, problem] of INVALID) {
    it(`rejects ${title}, naming the setting by its path`, () => {
      expectProblem({ ...dev, ...change }, problem);
    });
  }

  it('reports every problem at once, each at its path', () => {
    const problems = configProblems({
      ...dev,
      fn: { memoryMb: 64, timeoutSeconds: 60 },
      api: {
        customDomain: {
          domainName: 'https://api.example.com',
          certificateArn: CERTIFICATE('us-east-1'),
          hostedZoneId: 'zone',
        },
      },
    });
    expect(problems.map((line) => line.split(' ')[0])).to.deep.equal([
      'environments.dev.fn.memoryMb',
      'environments.dev.fn.timeoutSeconds',
      'environments.dev.api.customDomain.domainName',
      'environments.dev.api.customDomain.hostedZoneId',
    ]);
  });

  it('accepts "*", one origin with a port and a list of origins for CORS', () => {
    for (const corsAllowOrigins of [
      '*',
      ['http://localhost:5173'],
      ['https://a.example.com', 'https://b.example.com'],
    ] as const) {
      expect(configProblems({ ...dev, corsAllowOrigins })).to.deep.equal([]);
    }
  });

  it('rejects two environments sharing a name prefix, since their resources would collide', () => {
    expect(() => validateEnvironments([dev, { ...dev, name: 'staging' }])).to.throw(
      /- environments\.staging\.namePrefix must differ from environments\.dev\.namePrefix/,
    );
  });
});

describe('state backend from the environment', () => {
  it('is local unless TF_STATE_BUCKET is set, and on purpose only with ITEM_API_LOCAL_STATE=1', () => {
    expect(stateBackendFromEnv({})).to.deep.equal({ kind: 'local', onPurpose: false });
    expect(stateBackendFromEnv({ TF_STATE_BUCKET: '  ' })).to.deep.equal({ kind: 'local', onPurpose: false });
    expect(stateBackendFromEnv({ ITEM_API_LOCAL_STATE: '1' })).to.deep.equal({
      kind: 'local',
      onPurpose: true,
    });
  });

  it('is S3 in the named bucket, in TF_STATE_REGION when given', () => {
    expect(
      stateBackendFromEnv({ TF_STATE_BUCKET: 'acme-state', TF_STATE_REGION: 'eu-west-1' }),
    ).to.deep.equal({
      kind: 's3',
      bucket: 'acme-state',
      region: 'eu-west-1',
    });
    expect(stateBackendFromEnv({ TF_STATE_BUCKET: 'acme-state' })).to.deep.equal({
      kind: 's3',
      bucket: 'acme-state',
      region: undefined,
    });
  });

  it('names every invalid variable at once', () => {
    expect(() =>
      stateBackendFromEnv({
        TF_STATE_BUCKET: 'Acme_State',
        TF_STATE_REGION: 'europe',
        ITEM_API_LOCAL_STATE: '1',
      }),
    )
      .to.throw(ConfigValidationError)
      .with.property('message')
      .that.matches(/- TF_STATE_BUCKET must be/)
      .and.matches(/- TF_STATE_REGION must be an AWS region/)
      .and.matches(/- ITEM_API_LOCAL_STATE asks for local state while TF_STATE_BUCKET names a bucket/);
  });
});
