// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform references are literal ${...} strings in synthesized JSON.

import { expect } from 'chai';
import { BOOTSTRAP_DEFAULTS, bootstrapPropsFromEnv } from '../../infra/bootstrap/bootstrap-config';
import { BootstrapStack } from '../../infra/bootstrap/bootstrap-stack';
import { Testing } from '../../infra/toolchain';
import { defineStacks } from '../../main';
import {
  CKV_AWS_28,
  CKV_AWS_45,
  CKV_AWS_50,
  CKV_AWS_66,
  CKV_AWS_73,
  CKV_AWS_76,
  CKV_AWS_217,
  CKV_AWS_364_301,
  IAM_NO_WILDCARD_ACTION,
  iamScopedResources,
  iamStatements,
  isScopedResource,
  type PolicyRule,
  policyRules,
  S3_ENCRYPTION,
  S3_PUBLIC_ACCESS_BLOCK,
  S3_TLS_ONLY,
  type TerraformJson,
  UNSCOPED_RESOURCE_EXCEPTIONS,
} from './policy-rules';
import { environment, synthStack } from './synth';

type Body = Record<string, unknown>;
interface Config extends TerraformJson {
  resource: Record<string, Record<string, Body>>;
  data?: Record<string, Record<string, Body>>;
}

const PROJECT_PREFIX = BOOTSTRAP_DEFAULTS.namePrefix;
const RULES = policyRules(PROJECT_PREFIX);

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc';

/**
 * Every stack `cdktf synth` produces, plus each with its optional settings on (alarm topic, CORS,
 * a custom domain in a Route 53 zone, and the bootstrap that serves it), as Terraform JSON.
 */
function synthesizeAll(): Map<string, Config> {
  const app = Testing.app();
  const stacks = new Map<string, Config>(
    defineStacks(app, { env: {} }).map((stack) => [
      stack.node.id,
      JSON.parse(Testing.synth(stack)) as Config,
    ]),
  );
  const customDomain = {
    domainName: 'api.example.com',
    certificateArn: CERTIFICATE,
    hostedZoneId: 'Z0123456789ABC',
  };
  const withOptions = {
    ...environment('dev'),
    alarms: { email: 'ops@example.com' },
    corsAllowOrigins: ['https://app.example.com', 'https://admin.example.com'],
    api: { customDomain },
  };
  stacks.set('dev+options', synthStack(withOptions).config as unknown as Config);
  const bootstrap = new BootstrapStack(
    Testing.app(),
    'bootstrap',
    bootstrapPropsFromEnv({ GITHUB_OWNER: 'acme', GITHUB_REPO: 'item-api' }, [withOptions]),
  );
  stacks.set('bootstrap+hostedZone', JSON.parse(Testing.synth(bootstrap)) as Config);
  return stacks;
}

describe('infrastructure policy (Checkov equivalents) on every synthesized stack', () => {
  const stacks = synthesizeAll();

  it('covers dev, prod and bootstrap', () => {
    expect([...stacks.keys()]).to.include.members(['dev', 'prod', 'bootstrap']);
  });

  for (const rule of RULES) {
    it(`${rule.id}: ${rule.title}`, () => {
      const found = [...stacks].flatMap(([name, config]) =>
        rule.check(config).map((v) => `${name}: ${v.address}: ${v.problem}`),
      );
      expect(found).to.deep.equal([]);
      for (const type of rule.appliesTo) {
        const checked = [...stacks.values()].some((c) => Object.keys(c.resource[type] ?? {}).length > 0);
        expect(checked, `some stack has a ${type} to check`).to.equal(true);
      }
    });
  }

  it('reads the bootstrap roles’ policy documents', () => {
    const bootstrap = stacks.get('bootstrap');
    expect(Object.keys(bootstrap?.data?.aws_iam_policy_document ?? {})).to.include.members([
      'plan-permissions',
      'deploy-dev-permissions',
      'deploy-prod-permissions',
      'plan-trust',
      'deploy-dev-trust',
      'deploy-prod-trust',
    ]);
  });

  it('uses every unscoped-resource exception, so none outlives its statement', () => {
    const statements = [...stacks.values()].flatMap(iamStatements);
    for (const exception of UNSCOPED_RESOURCE_EXCEPTIONS) {
      const unscoped = statements.filter(
        (s) => s.sid === exception.sid && s.resources.some((r) => !isScopedResource(r, PROJECT_PREFIX)),
      );
      expect(unscoped, exception.sid).to.not.be.empty;
    }
  });
});

/** The first resource of a type in a deep copy of the stack, to break. */
function first(config: Config, type: string): Body {
  const found = Object.values(config.resource[type] ?? {})[0];
  if (found === undefined) throw new Error(`no ${type}`);
  return found;
}

function document(config: Config, name: string): Body[] {
  return (config.data?.aws_iam_policy_document?.[name]?.statement ?? []) as Body[];
}

function editPolicy(body: Body, edit: (statements: Body[]) => void): void {
  const doc = JSON.parse(String(body.policy)) as { Statement: Body[] };
  edit(doc.Statement);
  body.policy = JSON.stringify(doc);
}

/** Each rule against one deliberate break of a real stack: it must report it. */
const BROKEN: readonly [
  title: string,
  rule: PolicyRule,
  stack: string,
  breakIt: (c: Config) => void,
  problem: RegExp,
][] = [
  [
    'PITR off',
    CKV_AWS_28,
    'dev',
    (c) => {
      first(c, 'aws_dynamodb_table').point_in_time_recovery = { enabled: false };
    },
    /point_in_time_recovery/,
  ],
  [
    'tracing PassThrough',
    CKV_AWS_50,
    'dev',
    (c) => {
      first(c, 'aws_lambda_function').tracing_config = { mode: 'PassThrough' };
    },
    /tracing_config/,
  ],
  [
    'a log group without retention',
    CKV_AWS_66,
    'prod',
    (c) => {
      delete first(c, 'aws_cloudwatch_log_group').retention_in_days;
    },
    /retention_in_days/,
  ],
  [
    'a function logging to a group Lambda creates itself',
    CKV_AWS_66,
    'dev',
    (c) => {
      delete first(c, 'aws_lambda_function').logging_config;
    },
    /logging_config/,
  ],
  [
    'no access log settings',
    CKV_AWS_76,
    'dev',
    (c) => {
      delete first(c, 'aws_api_gateway_stage').access_log_settings;
    },
    /access_log_settings/,
  ],
  [
    'stage X-Ray off',
    CKV_AWS_73,
    'dev',
    (c) => {
      first(c, 'aws_api_gateway_stage').xray_tracing_enabled = false;
    },
    /xray_tracing_enabled/,
  ],
  [
    'a variable named like a secret',
    CKV_AWS_45,
    'dev',
    (c) => {
      first(c, 'aws_lambda_function').environment = { variables: { TABLE_NAME: 't', DB_PASSWORD: 'x' } };
    },
    /DB_PASSWORD is named like a secret/,
  ],
  [
    'an access key id in a value',
    CKV_AWS_45,
    'dev',
    (c) => {
      first(c, 'aws_lambda_function').environment = { variables: { UPSTREAM: 'AKIAIOSFODNN7EXAMPLE' } };
    },
    /UPSTREAM holds something that looks like a secret/,
  ],
  [
    'a deployment without create_before_destroy',
    CKV_AWS_217,
    'dev',
    (c) => {
      delete first(c, 'aws_api_gateway_deployment').lifecycle;
    },
    /create_before_destroy/,
  ],
  [
    'a permission for any principal',
    CKV_AWS_364_301,
    'dev',
    (c) => {
      first(c, 'aws_lambda_permission').principal = '*';
    },
    /principal "\*"/,
  ],
  [
    'a permission without source ARN',
    CKV_AWS_364_301,
    'dev',
    (c) => {
      delete first(c, 'aws_lambda_permission').source_arn;
    },
    /source_arn is missing/,
  ],
  [
    'a service-wide action in the function policy',
    IAM_NO_WILDCARD_ACTION,
    'dev',
    (c) => {
      editPolicy(first(c, 'aws_iam_role_policy'), (s) => {
        (s[0] as Body).Action = ['dynamodb:*'];
      });
    },
    /ReadItems allows dynamodb:\*/,
  ],
  [
    'Action "*" in the deploy role',
    IAM_NO_WILDCARD_ACTION,
    'bootstrap',
    (c) => {
      document(c, 'deploy-dev-permissions').push({ effect: 'Allow', actions: ['*'], resources: ['*'] });
    },
    /allows \*/,
  ],
  [
    'the function policy on every table',
    iamScopedResources(PROJECT_PREFIX),
    'dev',
    (c) => {
      editPolicy(first(c, 'aws_iam_role_policy'), (s) => {
        (s[0] as Body).Resource = ['*'];
      });
    },
    /ReadItems allows dynamodb:GetItem on \*/,
  ],
  [
    'an excepted statement widened by one action',
    iamScopedResources(PROJECT_PREFIX),
    'bootstrap',
    (c) => {
      const statement = document(c, 'deploy-dev-permissions').find((s) => s.sid === 'LogGroupList');
      if (statement === undefined) throw new Error('no LogGroupList statement');
      (statement.actions as string[]).push('logs:DeleteLogGroup');
    },
    /LogGroupList allows logs:DescribeLogGroups, logs:DeleteLogGroup on \*/,
  ],
  [
    'a new statement on another project’s functions',
    iamScopedResources(PROJECT_PREFIX),
    'bootstrap',
    (c) => {
      document(c, 'plan-permissions').push({
        sid: 'Other',
        effect: 'Allow',
        actions: ['lambda:GetFunction'],
        resources: ['arn:aws:lambda:us-east-1:123456789012:function:*'],
      });
    },
    /Other allows lambda:GetFunction on arn:aws:lambda/,
  ],
  [
    'a public access block with one setting off',
    S3_PUBLIC_ACCESS_BLOCK,
    'bootstrap',
    (c) => {
      first(c, 'aws_s3_bucket_public_access_block').restrict_public_buckets = false;
    },
    /restrict_public_buckets is not true/,
  ],
  [
    'a bucket without encryption configuration',
    S3_ENCRYPTION,
    'bootstrap',
    (c) => {
      delete c.resource.aws_s3_bucket_server_side_encryption_configuration;
    },
    /no default server-side encryption/,
  ],
  [
    'a TLS deny that no longer tests aws:SecureTransport',
    S3_TLS_ONLY,
    'bootstrap',
    (c) => {
      const [deny] = document(c, 'state-bucket-policy-document');
      (deny as Body).condition = [];
    },
    /does not deny aws:SecureTransport/,
  ],
];

describe('infrastructure policy rules catch deliberate breaks', () => {
  const stacks = synthesizeAll();

  for (const [title, rule, stack, breakIt, problem] of BROKEN) {
    it(`${rule.id} reports ${title}`, () => {
      const original = stacks.get(stack);
      if (original === undefined) throw new Error(`no stack ${stack}`);
      expect(rule.check(original), 'the unbroken stack passes').to.deep.equal([]);
      const broken = structuredClone(original);
      breakIt(broken);
      const found = rule.check(broken);
      expect(found.map((v) => v.problem).join('\n')).to.match(problem);
    });
  }

  it('has a deliberate break for every rule', () => {
    const broken = new Set(BROKEN.map(([, rule]) => rule.id));
    expect(RULES.map((rule) => rule.id).filter((id) => !broken.has(id))).to.deep.equal([]);
  });
});
