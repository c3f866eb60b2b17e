import { expect } from 'chai';
import { AWS_REGIONS, OTHER_PARTITIONS } from '#shared/aws-regions';
import { lambdaEnvironmentBytes, parseBoolean } from '#shared/rules';
import { ConfigValidationError } from '#shared/validation';
import { appSettingsFromEnv } from '../../infra/app-settings';
import { bootstrapPropsFromEnv } from '../../infra/bootstrap/bootstrap-config';
import { ENVIRONMENTS, type EnvironmentConfig, validateEnvironments } from '../../infra/config';
import { GET_ITEM_FUNCTION_DEFAULTS, getItemFunctionEnvironment } from '../../infra/get-item-function';
import { stateBackendFromEnv } from '../../infra/state-backend';
import { HOSTILE_ORIGINS, REAL_ORIGINS } from '../support/hostile-settings';
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
    [
      'a made-up region',
      { region: 'moon-1' },
      /^environments\.dev\.region must be an AWS region the provider/,
    ],
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
      /^environments\.dev\.corsAllowOrigins .*"https:\/\/a\.example\/x" has a path/,
    ],
    ['an empty origin list', { corsAllowOrigins: [] }, /^environments\.dev\.corsAllowOrigins .*at least one/],
    [
      '"*" inside a list',
      { corsAllowOrigins: ['https://a.example', '*'] },
      /^environments\.dev\.corsAllowOrigins .*"\*" allows every origin, so it must be the whole setting/,
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

const WEB_ACL = (region: string) =>
  `arn:aws:wafv2:${region}:123456789012:regional/webacl/items/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc`;
const manyTags = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`team-${i}`, 'x']));
const manyOrigins = (count: number) =>
  Array.from({ length: count }, (_, i) => `https://app-${i}.example.com`);

describe('settings AWS would refuse at apply, refused at synth with their path and message', () => {
  const cases: readonly [string, Partial<EnvironmentConfig>, string[]][] = [
    // Tags, by AWS's tag rules, and the stack's own keys
    ['a tag key with the aws: prefix', { tags: { 'aws:team': 'x' } }, ['environments.dev.tags["aws:team"] starts with "aws:", which AWS reserves for its own tags']],
    ['the aws: prefix in another case', { tags: { 'AWS:team': 'x' } }, ['environments.dev.tags["AWS:team"] starts with "aws:", which AWS reserves for its own tags']],
    ['a tag value with the aws: prefix', { tags: { team: 'aws:x' } }, ['environments.dev.tags["team"] has a value starting with "aws:", which AWS reserves']],
    ['a 200-character tag key', { tags: { ['k'.repeat(200)]: 'x' } }, [`environments.dev.tags["${'k'.repeat(200)}"] is a tag key of 200 characters; AWS allows 128`]],
    ['a 257-character tag value', { tags: { team: 'v'.repeat(257) } }, ['environments.dev.tags["team"] has a value of 257 characters; AWS allows 256']],
    ['an empty tag key', { tags: { '': 'x' } }, ['environments.dev.tags[""] is an empty tag key; AWS needs 1 to 128 characters']],
    ['a NUL in a tag value', { tags: { team: 'a\u0000b' } }, ['environments.dev.tags["team"] has a value with the character U+0000; tags may hold letters, digits, spaces and _ . : / = + - @']],
    ['a right-to-left override in a tag key, shown escaped', { tags: { 'team\u202e': 'x' } }, ['environments.dev.tags["team\\u202e"] has the character U+202E; tags may hold letters, digits, spaces and _ . : / = + - @']],
    ['a comma in a tag key', { tags: { 'a,b': 'x' } }, ['environments.dev.tags["a,b"] has the character U+002C (,); tags may hold letters, digits, spaces and _ . : / = + - @']],
    ['60 tags', { tags: manyTags(60) }, ['environments.dev.tags has 60 tags; with the 3 the stack adds (project, stack, managed-by) that is 63, and AWS allows 50 per resource']],
    ['48 tags, 51 with the stack\'s own', { tags: manyTags(48) }, ['environments.dev.tags has 48 tags; with the 3 the stack adds (project, stack, managed-by) that is 51, and AWS allows 50 per resource']],
    ['a "project" tag', { tags: { project: 'shop' } }, ['environments.dev.tags["project"] is a tag the stack sets itself ("project": "item-api"); use another key']],
    ['a "stack" tag', { tags: { stack: 'blue' } }, ['environments.dev.tags["stack"] is a tag the stack sets itself ("stack": "dev"); use another key']],
    ['a "Project" tag, which IAM would take for "project"', { tags: { Project: 'shop' } }, ['environments.dev.tags["Project"] differs from the stack\'s own tag "project" only in case; IAM keeps one of them on a role, so the other would be lost']],
    ['two tags that differ only in case', { tags: { team: 'a', Team: 'b' } }, ['environments.dev.tags["Team"] differs from the tag "team" only in case; IAM keeps one of them on a role, so the other would be lost']],
    ['a "managed-by" tag', { tags: { 'managed-by': 'me' } }, ['environments.dev.tags["managed-by"] is a tag the stack sets itself ("managed-by": "cdktf"); use another key']],
    // The function's environment, under Lambda's 4 KB
    ['a CORS list over Lambda\'s 4 KB for all environment variables', { corsAllowOrigins: manyOrigins(150) }, [
      `environments.dev.corsAllowOrigins makes the function's environment variables ${lambdaEnvironmentBytes(getItemFunctionEnvironment('item-api-dev-items', { corsAllowOrigins: manyOrigins(150) }))} bytes as Lambda counts them (the JSON of TABLE_NAME, CORS_ALLOW_ORIGIN); Lambda allows 4096 in total`,
    ]],
    // The WAF, in the stack's own region
    ['a WAF ARN in another region', { api: { wafWebAclArn: WEB_ACL('eu-west-1') } }, ["environments.dev.api.wafWebAclArn must be in the stack's region (us-east-1): a regional web ACL attaches only to resources in its own region; got one in eu-west-1"]],
    ['a CloudFront (global) web ACL', { api: { wafWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/items/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc' } }, ['environments.dev.api.wafWebAclArn must be the ARN of a regional WAF web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), got "arn:aws:wafv2:us-east-1:123456789012:global/webacl/items/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc"']],
    ['a WAF ARN of another partition', { api: { wafWebAclArn: WEB_ACL('us-east-1').replace('arn:aws:', 'arn:aws-cn:') } }, [`environments.dev.api.wafWebAclArn must be the ARN of a regional WAF web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), got "${WEB_ACL('us-east-1').replace('arn:aws:', 'arn:aws-cn:')}"`]],
    // Regions the provider does not know, and partitions the stack does not handle
    ['a region that does not exist', { region: 'us-moon-1' }, ['environments.dev.region must be an AWS region the provider (hashicorp/aws 5.100.0) knows, such as us-east-1 or eu-west-1, got "us-moon-1" (the full list is in shared/aws-regions.ts)']],
    ['a region newer than the provider', { region: 'ap-southeast-6' }, ['environments.dev.region must be an AWS region the provider (hashicorp/aws 5.100.0) knows, such as us-east-1 or eu-west-1, got "ap-southeast-6" (the full list is in shared/aws-regions.ts)']],
    ['a region in capitals', { region: 'US-EAST-1' }, ['environments.dev.region must be an AWS region the provider (hashicorp/aws 5.100.0) knows, such as us-east-1 or eu-west-1, got "US-EAST-1" (the full list is in shared/aws-regions.ts)']],
    ['a China region', { region: 'cn-north-1' }, ['environments.dev.region is "cn-north-1", a region of the aws-cn partition (AWS China), which this stack does not handle: it deploys to the aws partition only (docs/deploy.md)']],
    ['a GovCloud region', { region: 'us-gov-west-1' }, ['environments.dev.region is "us-gov-west-1", a region of the aws-us-gov partition (AWS GovCloud (US)), which this stack does not handle: it deploys to the aws partition only (docs/deploy.md)']],
    ['an ISO region', { region: 'us-isob-east-1' }, ['environments.dev.region is "us-isob-east-1", a region of the aws-iso-b partition (AWS ISOB (US)), which this stack does not handle: it deploys to the aws partition only (docs/deploy.md)']],
    ['the European Sovereign Cloud', { region: 'eusc-de-east-1' }, ['environments.dev.region is "eusc-de-east-1", a region of the aws-eusc partition (AWS European Sovereign Cloud), which this stack does not handle: it deploys to the aws partition only (docs/deploy.md)']],
    // Cache policies the function would be given
    ['a max-age above one year', { fn: { cacheControl: { maxAgeSeconds: 31_536_001 } } }, ['environments.dev.fn.cacheControl maxAgeSeconds must be a whole number of seconds from 0 to 31536000 (one year), got 31536001']],
    ['a fractional stale-while-revalidate', { fn: { cacheControl: { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 1.5 } } }, ['environments.dev.fn.cacheControl staleWhileRevalidateSeconds must be a whole number of seconds from 0 to 31536000 (one year), got 1.5']],
  ]; // biome-ignore format: table rows
  for (const [title, change, problems] of cases) {
    it(`refuses ${title}`, () => {
      expect(configProblems({ ...dev, ...change })).to.deep.equal(problems);
    });
  }

  for (const { origin, problem } of HOSTILE_ORIGINS) {
    it(`refuses the origin ${JSON.stringify(origin.slice(0, 40))} as the function would`, () => {
      expect(
        configProblems({ ...dev, corsAllowOrigins: ['https://ok.example.com', origin] }),
      ).to.deep.include(`environments.dev.corsAllowOrigins must be "*" or a list of origins: ${problem}`);
    });
  }

  it('accepts real origins, 47 tags of AWS characters, every provider region of the aws partition, and a WAF in the region', () => {
    const tags = { ...manyTags(46), 'cost-center': 'Zürich / 42 @ a+b=c:d_e.f' };
    expect(
      configProblems({
        ...dev,
        corsAllowOrigins: REAL_ORIGINS,
        tags,
        api: { wafWebAclArn: WEB_ACL('us-east-1') },
      }),
    ).to.deep.equal([]);
    for (const region of AWS_REGIONS) {
      expect(configProblems({ ...dev, region }), region).to.deep.equal([]);
    }
    const refusedPartitions = Object.values(OTHER_PARTITIONS).flatMap((p) => p.regions);
    for (const region of refusedPartitions)
      expect(configProblems({ ...dev, region }), region).to.have.length(1);
  });

  it('holds the function environment to 4,096 bytes exactly: a list making 4,096 passes, one making 4,097 does not', () => {
    const bytes = (origins: string[]) =>
      lambdaEnvironmentBytes(getItemFunctionEnvironment('item-api-dev-items', { corsAllowOrigins: origins }));
    const originsOf = (total: number) => {
      const origins: string[] = [];
      for (let i = 0; bytes(origins) <= total - 60; i++) origins.push(`https://a-${i}.example.com`);
      const last = origins.length - 1;
      origins[last] = `https://${'a'.repeat(1 + total - bytes(origins))}-${last}.example.com`;
      expect(bytes(origins)).to.equal(total);
      return origins;
    };
    expect(configProblems({ ...dev, corsAllowOrigins: originsOf(4096) })).to.deep.equal([]);
    expect(configProblems({ ...dev, corsAllowOrigins: originsOf(4097) })).to.deep.equal([
      "environments.dev.corsAllowOrigins makes the function's environment variables 4097 bytes as Lambda counts them (the JSON of TABLE_NAME, CORS_ALLOW_ORIGIN); Lambda allows 4096 in total",
    ]);
  });
});

describe('environment variables, each problem at the variable to set', () => {
  const cases: readonly [string, Record<string, string>, string[]][] = [
    ['ITEM_API_LOCAL_STATE=on', { ITEM_API_LOCAL_STATE: 'on' }, ['ITEM_API_LOCAL_STATE must be 1, true or yes, or 0, false or no (or empty), got "on"']],
    ['BOOTSTRAP_REMOTE_STATE=maybe', { BOOTSTRAP_REMOTE_STATE: 'maybe' }, ['BOOTSTRAP_REMOTE_STATE must be 1, true or yes, or 0, false or no (or empty), got "maybe"']],
    ['BOOTSTRAP_APIGATEWAY_LOGS_ROLE=off', { BOOTSTRAP_APIGATEWAY_LOGS_ROLE: 'off' }, ['BOOTSTRAP_APIGATEWAY_LOGS_ROLE must be 1, true or yes, or 0, false or no (or empty), got "off"']],
    ['BOOTSTRAP_SHARED_DEPLOY_ROLE=keep', { BOOTSTRAP_SHARED_DEPLOY_ROLE: 'keep' }, ['BOOTSTRAP_SHARED_DEPLOY_ROLE must be 1, true or yes, or 0, false or no (or empty), got "keep"']],
    ['the OIDC provider under its old name', { GITHUB_OIDC_PROVIDER_ARN: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }, ['GITHUB_OIDC_PROVIDER_ARN is no longer read: set BOOTSTRAP_OIDC_PROVIDER_ARN instead (GitHub refuses variable names that start with GITHUB_)']],
    ['a GitHub owner GitHub would not allow', { GITHUB_OWNER: '-acme' }, ['GITHUB_OWNER must be a GitHub user or organisation name, got "-acme"']],
    ['a repository name of dots', { GITHUB_REPO: '..' }, ['GITHUB_REPO must be a GitHub repository name, got ".."']],
    ['a state bucket with capitals', { TF_STATE_BUCKET: 'Acme_State' }, [
      'TF_STATE_BUCKET must be 3-63 lowercase letters, digits and single hyphens (an S3 bucket name without dots), got "Acme_State"',
    ]],
    ['a bootstrap region in China', { AWS_REGION: 'cn-north-1' }, ['AWS_REGION is "cn-north-1", a region of the aws-cn partition (AWS China), which this stack does not handle: it deploys to the aws partition only (docs/deploy.md)']],
    ['a state region that does not exist', { TF_STATE_REGION: 'us-moon-1' }, ['TF_STATE_REGION must be an AWS region the provider (hashicorp/aws 5.100.0) knows, such as us-east-1 or eu-west-1, got "us-moon-1" (the full list is in shared/aws-regions.ts)']],
    ['an OIDC provider of another partition', { BOOTSTRAP_OIDC_PROVIDER_ARN: 'arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }, [
      'BOOTSTRAP_OIDC_PROVIDER_ARN must be the ARN of the GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com), got "arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"',
    ]],
  ]; // biome-ignore format: table rows
  for (const [title, env, problems] of cases) {
    it(`refuses ${title}`, () => {
      expect(() => appSettingsFromEnv(env))
        .to.throw(ConfigValidationError)
        .with.property('problems')
        .that.satisfies((found: { path: string; message: string }[]) => {
          expect(found.map((p) => `${p.path} ${p.message}`)).to.deep.equal(problems);
          return true;
        });
    });
  }

  it('reads yes/no variables as 1/true/yes and 0/false/no in any case, and empty as unset', () => {
    const read = (raw: string | undefined) => parseBoolean(raw).value;
    expect(['1', 'true', 'TRUE', 'yes', ' Yes '].map(read)).to.deep.equal([true, true, true, true, true]);
    expect(['0', 'false', 'No'].map(read)).to.deep.equal([false, false, false]);
    expect([undefined, '', '  '].map(read)).to.deep.equal([undefined, undefined, undefined]);
    expect(stateBackendFromEnv({ ITEM_API_LOCAL_STATE: 'true' })).to.deep.equal({
      kind: 'local',
      onPurpose: true,
    });
    expect(stateBackendFromEnv({ ITEM_API_LOCAL_STATE: 'no' })).to.deep.equal({
      kind: 'local',
      onPurpose: false,
    });
    expect(bootstrapPropsFromEnv({ BOOTSTRAP_REMOTE_STATE: 'yes' }).remoteState).to.equal(true);
    expect(bootstrapPropsFromEnv({ BOOTSTRAP_SHARED_DEPLOY_ROLE: 'true' }).sharedDeployRole).to.equal(true);
    expect(bootstrapPropsFromEnv({ BOOTSTRAP_APIGATEWAY_LOGS_ROLE: 'false' }).apiGatewayLogsRole).to.equal(
      false,
    );
    // GitHub passes an unset repository variable as the empty string.
    expect(bootstrapPropsFromEnv({ BOOTSTRAP_APIGATEWAY_LOGS_ROLE: '' }).apiGatewayLogsRole).to.equal(true);
  });

  it('names an environment the bootstrap reserves by its place in infra/config.ts, and lists a shared problem once', () => {
    const github = { ...dev, name: 'github', namePrefix: 'item-api-github', region: 'us-moon-1' };
    expect(() => appSettingsFromEnv({ GITHUB_OWNER: '-x' }, [github]))
      .to.throw(ConfigValidationError)
      .with.property(
        'message',
        [
          'Invalid settings:',
          '- environments.github.region must be an AWS region the provider (hashicorp/aws 5.100.0) knows, such as us-east-1 or eu-west-1, got "us-moon-1" (the full list is in shared/aws-regions.ts)',
          '- GITHUB_OWNER must be a GitHub user or organisation name, got "-x"',
          '- environments.github.name "github" is reserved for the CI and logging roles',
        ].join('\n'),
      );
  });
});
