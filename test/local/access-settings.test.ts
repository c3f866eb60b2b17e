import { expect } from 'chai';
import { type AccessEnvironment, localAccessFromEnv } from '#local/access-from-env';
import { periodOf, UsageLimits } from '#local/usage-limits';
import { ConfigValidationError } from '#shared/validation';
import { startSettingsFromEnv } from '../../scripts/start';

const KEY = 'k3yV4lue0123456789abcdef';
const OTHER = 'an0therKeyValue0123456789';
const ENVIRONMENTS: AccessEnvironment[] = [
  {
    name: 'dev',
    region: 'us-east-1',
    api: {
      access: {
        mode: 'api-key',
        plans: {
          partner: { throttle: { rateLimit: 5, burstLimit: 10 }, quota: { limit: 100, period: 'DAY' } },
        },
        consumers: { probe: { plan: 'partner' } },
      },
    },
  },
  { name: 'prod', region: 'eu-west-1' },
];

describe('npm start access settings (API_ACCESS, LOCAL_API_KEYS, API_ENVIRONMENT)', () => {
  let reads = 0;
  const environments = async () => {
    reads += 1;
    return ENVIRONMENTS;
  };
  const settings = (env: Record<string, string>) => localAccessFromEnv(env, environments);
  const problems = async (env: Record<string, string>) => {
    try {
      await settings(env);
    } catch (error) {
      if (error instanceof ConfigValidationError) return error.problems.map((p) => `${p.path} ${p.message}`);
      throw error;
    }
    return [];
  };
  beforeEach(() => {
    reads = 0;
  });

  it('npm start lists every problem once, with the response settings, a line each by variable', async () => {
    const refused = (env: Record<string, string>) =>
      startSettingsFromEnv(env, environments).then(
        () => 'started',
        (error: Error) => error.message,
      );
    expect(await refused({ API_ACCESS: 'open' })).to.equal(
      'API_ACCESS: must be one of public, api-key, iam, got "open"',
    );
    expect(await refused({ CACHE_CONTROL: 'max-age=5\nX: y', API_ACCESS: 'iam' })).to.equal(
      [
        '3 settings to change; nothing was started:',
        '- CACHE_CONTROL: must be a single line',
        '- AWS_ACCESS_KEY_ID: must be set: the one caller API_ACCESS=iam lets in',
        '- AWS_SECRET_ACCESS_KEY: must be set with AWS_ACCESS_KEY_ID',
      ].join('\n'),
    );
    expect(await refused({ CORS_ALLOW_ORIGIN: 'https://a.com:0', CACHE_CONTROL: 'max-age=abc' })).to.equal(
      [
        '2 settings to change; nothing was started:',
        '- CORS_ALLOW_ORIGIN: must be "*" or origins separated by commas: "https://a.com:0" has port 0, which no page can be served from',
        '- CACHE_CONTROL: max-age=abc: the value must be a whole number of seconds (digits only)',
      ].join('\n'),
    );
  });

  it('is public by default, without reading infra/config.ts', async () => {
    expect((await settings({})).access).to.deep.equal({ mode: 'public' });
    expect((await settings({ API_ACCESS: ' ' })).access).to.deep.equal({ mode: 'public' });
    expect(reads).to.equal(0);
  });

  it('gives each key the plan its consumer has in the environment, and no limits to a name it does not list', async () => {
    const { access, summary } = await settings({
      API_ACCESS: 'api-key',
      LOCAL_API_KEYS: `probe=${KEY}, guest=${OTHER}`,
    });
    expect(access).to.deep.equal({
      mode: 'api-key',
      keys: [
        {
          name: 'probe',
          value: KEY,
          plan:
            ENVIRONMENTS[0]?.api?.access?.mode === 'api-key'
              ? ENVIRONMENTS[0].api.access.plans.partner
              : undefined,
        },
        { name: 'guest', value: OTHER, plan: undefined },
      ],
    });
    expect(summary).to.equal(
      'api-key: probe (plan partner), guest (no plan in dev: unlimited); send x-api-key',
    );
  });

  it("signs for the chosen environment's region in iam mode, with the session token when given", async () => {
    const credentials = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' };
    expect((await settings({ API_ACCESS: 'iam', ...credentials })).access).to.deep.equal({
      mode: 'iam',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: undefined },
      region: 'us-east-1',
    });
    const prod = await settings({
      API_ACCESS: 'iam',
      API_ENVIRONMENT: 'prod',
      AWS_SESSION_TOKEN: 't',
      ...credentials,
    });
    expect(prod.access).to.deep.include({ region: 'eu-west-1' });
    expect(prod.summary).to.equal(
      'iam: requests signed (SigV4, execute-api, eu-west-1) by AKID with its session token',
    );
  });

  const INVALID: readonly [string, Record<string, string>, string[]][] = [
    [
      'an unknown mode',
      { API_ACCESS: 'open' },
      ['API_ACCESS must be one of public, api-key, iam, got "open"'],
    ],
    [
      'keys without api-key mode',
      { LOCAL_API_KEYS: `probe=${KEY}` },
      ['LOCAL_API_KEYS is read only with API_ACCESS=api-key'],
    ],
    [
      'api-key mode without keys',
      { API_ACCESS: 'api-key' },
      ['LOCAL_API_KEYS must list the keys, name=value,… (API_ACCESS=api-key)'],
    ],
    [
      'a key too short, a bad name and a pair without "="',
      { API_ACCESS: 'api-key', LOCAL_API_KEYS: `probe=short,Bad=${KEY},lonely` },
      [
        'LOCAL_API_KEYS[0] value must be 20 to 128 letters and digits, as API Gateway requires of a key value (got 5 characters)',
        'LOCAL_API_KEYS[1] name must be 1-32 lowercase letters, digits and inner hyphens, got "Bad"',
        'LOCAL_API_KEYS[2] must be name=value',
      ],
    ],
    [
      'a name or a value twice',
      { API_ACCESS: 'api-key', LOCAL_API_KEYS: `probe=${KEY},probe=${OTHER},other=${OTHER}` },
      ['LOCAL_API_KEYS names a consumer twice', 'LOCAL_API_KEYS gives two consumers the same value'],
    ],
    [
      'iam mode without credentials',
      { API_ACCESS: 'iam' },
      [
        'AWS_ACCESS_KEY_ID must be set: the one caller API_ACCESS=iam lets in',
        'AWS_SECRET_ACCESS_KEY must be set with AWS_ACCESS_KEY_ID',
      ],
    ],
    [
      'an environment infra/config.ts does not define',
      { API_ACCESS: 'iam', API_ENVIRONMENT: 'qa', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' },
      ['API_ENVIRONMENT must name an environment of infra/config.ts (dev, prod), got "qa"'],
    ],
  ];
  for (const [title, env, expected] of INVALID) {
    it(`refuses ${title}, naming every variable at fault`, async () => {
      expect(await problems(env)).to.deep.equal(expected);
    });
  }
});

describe('usage limits of one key (token bucket and quota)', () => {
  const plan = { throttle: { rateLimit: 2, burstLimit: 3 } };

  it('lets the burst through at once, then refills rateLimit tokens a second, never above the burst', () => {
    const limits = new UsageLimits(plan, 0);
    expect([0, 0, 0, 0].map((t) => limits.take(t))).to.deep.equal([
      'allowed',
      'allowed',
      'allowed',
      'throttled',
    ]);
    expect([500, 500].map((t) => limits.take(t))).to.deep.equal(['allowed', 'throttled']);
    // Ten idle seconds refill to the burst, not to 20 tokens.
    expect([10_500, 10_500, 10_500, 10_500].map((t) => limits.take(t))).to.deep.equal([
      'allowed',
      'allowed',
      'allowed',
      'throttled',
    ]);
  });

  it('counts the quota per period and starts again in the next one; a throttled call does not count', () => {
    const day = Date.UTC(2026, 0, 5, 23, 59);
    const limits = new UsageLimits(
      { throttle: { rateLimit: 1, burstLimit: 2 }, quota: { limit: 2, period: 'DAY' } },
      day,
    );
    expect([day, day, day].map((t) => limits.take(t))).to.deep.equal(['allowed', 'allowed', 'throttled']);
    expect(limits.take(day + 30_000)).to.equal('quota exceeded');
    expect(limits.take(day + 120_000)).to.equal('allowed');
  });

  it('starts days at 00:00 UTC, weeks on Sunday and months on the 1st', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(periodOf(at('2026-01-03T23:59:59Z'), 'WEEK')).to.equal('week of 2025-12-28');
    expect(periodOf(at('2026-01-04T00:00:00Z'), 'WEEK')).to.equal('week of 2026-01-04');
    expect(periodOf(at('2026-01-31T23:59:59Z'), 'MONTH')).to.not.equal(
      periodOf(at('2026-02-01T00:00:00Z'), 'MONTH'),
    );
    expect(periodOf(at('2026-01-31T23:59:59Z'), 'DAY')).to.equal('2026-01-31');
  });
});
