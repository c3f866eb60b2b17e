import { expect } from 'chai';
import {
  type ApiAccess,
  checkApiKeyId,
  checkApiKeyValue,
  checkCidr,
  checkRoleArn,
  checkVpcEndpointId,
} from '#shared/access';
import { corsAllowedHeaders, preflightHeaders } from '#shared/response-policy';
import type { EnvironmentConfig } from '../../infra/config';
import { configProblems, environment, expectProblem } from './synth';

const dev = environment('dev');
const withAccess = (access: ApiAccess, api: EnvironmentConfig['api'] = dev.api): EnvironmentConfig => ({
  ...dev,
  api: { ...api, access },
});
const PLAN = {
  throttle: { rateLimit: 10, burstLimit: 20 },
  quota: { limit: 1000, period: 'MONTH' },
} as const;
const KEYS: ApiAccess = {
  mode: 'api-key',
  plans: { partner: PLAN },
  consumers: { acme: { plan: 'partner' } },
};
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc';

describe('access settings (api.access)', () => {
  it('accepts each mode with its settings, and network limits in any mode', () => {
    const network = {
      sourceCidrs: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7/32'],
      privateEndpoint: { vpcEndpointIds: ['vpce-0123456789abcdef0', 'vpce-1a2b3c4d'] },
    };
    const valid: ApiAccess[] = [
      { mode: 'public' },
      { mode: 'public', network },
      KEYS,
      { ...KEYS, consumers: { acme: { plan: 'partner', apiKeyId: 'a1b2c3d4e5' } }, network },
      { mode: 'api-key', plans: { outside: { throttle: { rateLimit: 5, burstLimit: 5 } } } },
      { mode: 'iam', callers: { accounts: ['123456789012'] } },
      { mode: 'iam', callers: { roleArns: ['arn:aws:iam::123456789012:role/service/reader'] }, network },
    ];
    for (const access of valid)
      expect(configProblems(withAccess(access)), JSON.stringify(access)).to.deep.equal([]);
  });

  const INVALID: readonly [string, ApiAccess, RegExp][] = [
    [
      'an unknown mode',
      { mode: 'open' } as unknown as ApiAccess,
      /^environments\.dev\.api\.access\.mode must be one of "public", "api-key", "iam", got "open"/,
    ],
    [
      'api keys without a plan',
      { mode: 'api-key', plans: {} },
      /^environments\.dev\.api\.access\.plans must name at least one usage plan/,
    ],
    [
      'a consumer on a plan that does not exist',
      { ...KEYS, consumers: { acme: { plan: 'gold' } } },
      /^environments\.dev\.api\.access\.consumers\.acme\.plan must name one of the plans \(partner\), got "gold"/,
    ],
    [
      'a key value where its id belongs',
      { ...KEYS, consumers: { acme: { plan: 'partner', apiKeyId: 'Zq8w3Kx9LmNp2RtY7vBc4DfGh6' } } },
      /^environments\.dev\.api\.access\.consumers\.acme\.apiKeyId must be the id of an API key .*never its value, got something as long as a key value/,
    ],
    [
      'the same key attached twice',
      {
        ...KEYS,
        consumers: {
          a: { plan: 'partner', apiKeyId: 'a1b2c3d4e5' },
          b: { plan: 'partner', apiKeyId: 'a1b2c3d4e5' },
        },
      },
      /^environments\.dev\.api\.access\.consumers must not attach the same apiKeyId twice/,
    ],
    [
      'a consumer name with capitals',
      { ...KEYS, consumers: { Acme: { plan: 'partner' } } },
      /^environments\.dev\.api\.access\.consumers\.Acme must be 1-32 lowercase/,
    ],
    [
      'a plan faster than the stage allows',
      { mode: 'api-key', plans: { partner: { throttle: { rateLimit: 60, burstLimit: 20 } } } },
      /^environments\.dev\.api\.access\.plans\.partner\.throttle\.rateLimit must not exceed the stage's throttling \(api\.throttling\.rateLimit = 50\)/,
    ],
    [
      'a burst above the stage burst',
      { mode: 'api-key', plans: { partner: { throttle: { rateLimit: 10, burstLimit: 101 } } } },
      /^environments\.dev\.api\.access\.plans\.partner\.throttle\.burstLimit must not exceed the stage's throttling \(api\.throttling\.burstLimit = 100\)/,
    ],
    [
      'a zero rate',
      { mode: 'api-key', plans: { partner: { throttle: { rateLimit: 0, burstLimit: 1 } } } },
      /^environments\.dev\.api\.access\.plans\.partner\.throttle\.rateLimit must be a positive number/,
    ],
    [
      'a quota per year',
      {
        mode: 'api-key',
        plans: { partner: { ...PLAN, quota: { limit: 10, period: 'YEAR' } } },
      } as unknown as ApiAccess,
      /^environments\.dev\.api\.access\.plans\.partner\.quota\.period must be one of DAY, WEEK, MONTH, got "YEAR"/,
    ],
    [
      'a fractional quota',
      { mode: 'api-key', plans: { partner: { ...PLAN, quota: { limit: 2.5, period: 'DAY' } } } },
      /^environments\.dev\.api\.access\.plans\.partner\.quota\.limit must be a whole number/,
    ],
    [
      'iam without callers',
      { mode: 'iam', callers: {} },
      /^environments\.dev\.api\.access\.callers must name at least one account or role ARN/,
    ],
    [
      'a short account id',
      { mode: 'iam', callers: { accounts: ['12345'] } },
      /^environments\.dev\.api\.access\.callers\.accounts\[0\] must be a 12-digit AWS account id/,
    ],
    [
      'a user ARN among the roles',
      { mode: 'iam', callers: { roleArns: ['arn:aws:iam::123456789012:user/alice'] } },
      /^environments\.dev\.api\.access\.callers\.roleArns\[0\] must be an IAM role ARN/,
    ],
    [
      'a CIDR block with host bits',
      { mode: 'public', network: { sourceCidrs: ['10.0.0.1/8'] } },
      /^environments\.dev\.api\.access\.network\.sourceCidrs\[0\] must be a network address: 10\.0\.0\.1\/8 has host bits set/,
    ],
    [
      'an empty CIDR list',
      { mode: 'public', network: { sourceCidrs: [] } },
      /^environments\.dev\.api\.access\.network\.sourceCidrs must name at least one/,
    ],
    [
      'a private endpoint with no VPC endpoint',
      { mode: 'public', network: { privateEndpoint: { vpcEndpointIds: [] } } },
      /^environments\.dev\.api\.access\.network\.privateEndpoint\.vpcEndpointIds must name at least one VPC endpoint/,
    ],
    [
      'a VPC id where an endpoint id belongs',
      { mode: 'public', network: { privateEndpoint: { vpcEndpointIds: ['vpc-0123456789abcdef0'] } } },
      /^environments\.dev\.api\.access\.network\.privateEndpoint\.vpcEndpointIds\[0\] must be a VPC endpoint id/,
    ],
  ];
  for (const [title, access, problem] of INVALID) {
    it(`rejects ${title}, naming the setting by its path`, () => expectProblem(withAccess(access), problem));
  }

  it('rejects a private endpoint together with the regional custom domain', () => {
    expectProblem(
      withAccess(
        { mode: 'public', network: { privateEndpoint: { vpcEndpointIds: ['vpce-0123456789abcdef0'] } } },
        { customDomain: { domainName: 'api.example.com', certificateArn: CERTIFICATE } },
      ),
      /^environments\.dev\.api\.access\.network\.privateEndpoint cannot be combined with api\.customDomain/,
    );
  });

  it('reports every problem of the access settings at once, each at its path', () => {
    const problems = configProblems(
      withAccess({
        mode: 'api-key',
        plans: { partner: { throttle: { rateLimit: -1, burstLimit: 0 } } },
        consumers: { acme: { plan: 'partner', apiKeyId: 'nope' } },
        network: { sourceCidrs: ['300.0.0.0/8'] },
      }),
    );
    expect(problems.map((line) => line.split(' ')[0])).to.deep.equal([
      'environments.dev.api.access.plans.partner.throttle.rateLimit',
      'environments.dev.api.access.plans.partner.throttle.burstLimit',
      'environments.dev.api.access.consumers.acme.apiKeyId',
      'environments.dev.api.access.network.sourceCidrs[0]',
    ]);
  });

  describe('one rule per setting', () => {
    const cases: readonly [string, (value: string) => string | undefined, string[], string[]][] = [
      [
        'checkCidr',
        checkCidr,
        ['0.0.0.0/0', '192.0.2.0/24', '::/0', '2001:db8::/32', 'fe80::1/128'],
        ['192.0.2.0', '192.0.2.0/33', '2001:db8::1/32', '192.0.2.0/24/1', 'example.com/8', '192.0.2.0/+8'],
      ],
      ['checkApiKeyId', checkApiKeyId, ['a1b2c3d4e5'], ['A1B2C3D4E5', 'a1b2c3d4e', 'a1b2c3d4e5f']],
      [
        'checkApiKeyValue',
        checkApiKeyValue,
        ['a'.repeat(20), 'Z9'.repeat(64)],
        ['a'.repeat(19), 'a'.repeat(129), `${'a'.repeat(20)}-`],
      ],
      [
        'checkRoleArn',
        checkRoleArn,
        ['arn:aws:iam::123456789012:role/a', 'arn:aws-us-gov:iam::123456789012:role/p/q/r'],
        ['arn:aws:iam::123456789012:role/', 'arn:aws:sts::123456789012:assumed-role/a/b'],
      ],
      [
        'checkVpcEndpointId',
        checkVpcEndpointId,
        ['vpce-1a2b3c4d', 'vpce-0123456789abcdef0'],
        ['vpce-1a2b3c4', 'vpce-0123456789ABCDEF0', 'vpc-1a2b3c4d'],
      ],
    ];
    for (const [name, check, good, bad] of cases) {
      it(`${name} accepts ${good.length} and refuses ${bad.length} values`, () => {
        for (const value of good) expect(check(value), value).to.equal(undefined);
        for (const value of bad) expect(check(value), value).to.be.a('string');
      });
    }
  });
});

describe('CORS headers per access mode', () => {
  it("public mode's preflight allows exactly what it allowed before access modes existed", () => {
    expect(corsAllowedHeaders()).to.deep.equal(['If-None-Match']);
    expect(preflightHeaders('*')['Access-Control-Allow-Headers']).to.equal('If-None-Match');
  });

  it('api-key mode adds x-api-key; iam mode adds the headers a SigV4 signature uses', () => {
    expect(preflightHeaders('*', 'api-key')['Access-Control-Allow-Headers']).to.equal(
      'If-None-Match, x-api-key',
    );
    expect(preflightHeaders(['https://a.example'], 'iam')['Access-Control-Allow-Headers']).to.equal(
      'If-None-Match, Authorization, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256',
    );
  });
});
