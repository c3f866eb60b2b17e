import { expect } from 'chai';
import { stateBackendFromEnv } from '../../infra/backend';
import {
  ConfigValidationError,
  ENVIRONMENTS,
  type EnvironmentConfig,
  validateEnvironmentConfig,
  validateEnvironments,
} from '../../infra/config';
import { environment } from './synth';

const dev = environment('dev');

describe('environment config', () => {
  it('defines dev and prod, valid, with distinct prefixes, and deletion protection in prod', () => {
    expect(ENVIRONMENTS.map((e) => e.name)).to.include.members(['dev', 'prod']);
    expect(() => validateEnvironments(ENVIRONMENTS)).not.to.throw();
    expect(new Set(ENVIRONMENTS.map((e) => e.namePrefix)).size).to.equal(ENVIRONMENTS.length);
    expect(environment('prod').deletionProtection).to.equal(true);
  });

  it('defaults the function to 512 MB and 6 s, with no reserved concurrency', () => {
    for (const config of ENVIRONMENTS) {
      expect(config, config.name).to.include({ lambdaMemoryMb: 512, lambdaTimeoutSeconds: 6 });
      expect(config.reservedConcurrency, config.name).to.equal(undefined);
    }
  });

  const INVALID: readonly [string, Partial<EnvironmentConfig>, RegExp][] = [
    ['a name with capitals', { name: 'Dev' }, /^environments\.Dev\.name /],
    ['a made-up region', { region: 'moon-1' }, /^environments\.dev\.region must be an AWS region/],
    ['a prefix with capitals', { namePrefix: 'Item-Api' }, /^environments\.dev\.namePrefix /],
    ['memory below 128 MB', { lambdaMemoryMb: 64 }, /^environments\.dev\.lambdaMemoryMb .*128 to 10240/],
    ['fractional memory', { lambdaMemoryMb: 256.5 }, /^environments\.dev\.lambdaMemoryMb /],
    [
      'a timeout inside the DynamoDB time budget plus headroom',
      { lambdaTimeoutSeconds: 4 },
      /^environments\.dev\.lambdaTimeoutSeconds .*above 4 .*3000 ms/,
    ],
    [
      'a timeout above 10 s',
      { lambdaTimeoutSeconds: 11 },
      /^environments\.dev\.lambdaTimeoutSeconds .*at most 10/,
    ],
    ['zero reserved concurrency', { reservedConcurrency: 0 }, /^environments\.dev\.reservedConcurrency /],
    [
      'a zero rate limit',
      { throttling: { rateLimit: 0, burstLimit: 10 } },
      /^environments\.dev\.throttling rate/,
    ],
    [
      'a zero burst',
      { throttling: { rateLimit: 10, burstLimit: 0 } },
      /^environments\.dev\.throttling burst/,
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
      { cacheControl: { maxAgeSeconds: -1 } },
      /^environments\.dev\.cacheControl maxAgeSeconds must be a whole number/,
    ],
    [
      'a custom domain with a certificate from another region',
      {
        customDomain: {
          domainName: 'api.example.com',
          certificateArn:
            'arn:aws:acm:eu-west-1:123456789012:certificate/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc',
        },
      },
      /^environments\.dev\.customDomain certificateArn must be in the stack's region \(us-east-1\)/,
    ],
    [
      'a custom domain that is not a host name',
      {
        customDomain: {
          domainName: 'https://api.example.com',
          certificateArn:
            'arn:aws:acm:us-east-1:123456789012:certificate/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc',
          hostedZoneId: 'zone',
        },
      },
      /^environments\.dev\.customDomain domainName must be a lowercase host name.*; hostedZoneId must be/,
    ],
    ['a stage name with a dash', { stageName: 'v-1' }, /^environments\.dev\.stageName /],
  ];
  for (const [title, change, message] of INVALID) {
    it(`rejects ${title}, naming the field`, () => {
      expect(() => validateEnvironmentConfig({ ...dev, ...change }))
        .to.throw(ConfigValidationError)
        .with.property('message')
        .that.matches(message);
    });
  }

  it('accepts "*", one origin with a port and a list of origins for CORS', () => {
    for (const corsAllowOrigins of [
      '*',
      ['http://localhost:5173'],
      ['https://a.example.com', 'https://b.example.com'],
    ] as const) {
      expect(() => validateEnvironmentConfig({ ...dev, corsAllowOrigins })).not.to.throw();
    }
  });

  it('rejects two environments sharing a name prefix, since their resources would collide', () => {
    expect(() => validateEnvironments([dev, { ...dev, name: 'staging' }])).to.throw(
      /^environments\.staging\.namePrefix must differ from environments\.dev\.namePrefix/,
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

  it('refuses a bucket and local state at once', () => {
    expect(() => stateBackendFromEnv({ TF_STATE_BUCKET: 'acme-state', ITEM_API_LOCAL_STATE: '1' })).to.throw(
      /^ITEM_API_LOCAL_STATE asks for local state while TF_STATE_BUCKET names a bucket/,
    );
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

  it('names the variable when a value is invalid', () => {
    expect(() => stateBackendFromEnv({ TF_STATE_BUCKET: 'Acme_State' })).to.throw(/^TF_STATE_BUCKET must be/);
    expect(() => stateBackendFromEnv({ TF_STATE_BUCKET: 'acme-state', TF_STATE_REGION: 'europe' })).to.throw(
      /^TF_STATE_REGION must be/,
    );
  });
});
