// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform references are literal ${...} strings in synthesized JSON.

import { expect } from 'chai';
import { ConfigValidationError } from '#shared/validation';
import {
  type BootstrapStackProps,
  bootstrapPropsFromEnv,
  defaultStateBucketName,
  resolveBootstrapProps,
} from '../../infra/bootstrap/bootstrap-config';
import { BootstrapStack } from '../../infra/bootstrap/bootstrap-stack';
import { ENVIRONMENTS } from '../../infra/config';
import {
  IamOpenidConnectProvider,
  S3Bucket,
  S3BucketOwnershipControls,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketVersioningA,
  Testing,
} from '../../infra/toolchain';
import { documentOf, evaluate } from '../deploy/iam-evaluator';
import { type BootstrapSynth, type PolicyStatementJson, synthBootstrap } from './synth';

const PROPS: BootstrapStackProps = {
  region: 'eu-west-1',
  githubOwner: 'acme',
  githubRepo: 'item-api',
  stateBucketName: 'acme-item-api-tfstate',
};

type Statement = PolicyStatementJson;
type Synth = BootstrapSynth;

const synth = (overrides: Partial<BootstrapStackProps> = {}): Synth =>
  synthBootstrap({ ...PROPS, ...overrides });

const statements = (s: Synth, document: string) => {
  const found = s.config.data.aws_iam_policy_document[document];
  if (!found) throw new Error(`no policy document ${document}`);
  return found.statement;
};

const condition = (statement: Statement | undefined, variable: string) =>
  statement?.condition?.find((c) => c.variable === variable);

/** An IAM action with wildcards as a regular expression (IAM actions are case-insensitive). */
const actionPattern = (action: string) =>
  new RegExp(`^${action.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`, 'i');

const WRITE_ACTION =
  /:(Put|Delete|Create|Update|Tag|Untag|Attach|Detach|Pass|Add|Remove|Publish)|:(POST|PUT|PATCH|DELETE)$|:\*$/;

/**
 * What a deploy role's synthesized statements let it change of `environment`: every write action on
 * that environment's table, function, log group, execution role, alarm and topic, and on a REST API
 * tagged for it, judged by the IAM evaluator. ARNs are built the way the statements build them.
 */
function crossEnvironmentChanges(statements: Statement[], environment: string): string[] {
  const document = documentOf(statements);
  const prefix = 'arn:${data.aws_partition.partition.partition}';
  const account = '${element(split(":", aws_iam_openid_connect_provider.github-oidc.arn), 4)}';
  const name = `item-api-${environment}`;
  const region = `${prefix}:%s:eu-west-1:${account}:`;
  const at = (service: string, rest: string) => `${region.replace('%s', service)}${rest}`;
  const targets: { label: string; resource: string; actions: string[]; context?: Record<string, string> }[] =
    [
      {
        label: `table/${name}-items`,
        resource: at('dynamodb', `table/${name}-items`),
        actions: [
          'DeleteTable',
          'UpdateTable',
          'UpdateContinuousBackups',
          'UpdateTimeToLive',
          'TagResource',
          'UntagResource',
        ].map((a) => `dynamodb:${a}`),
      },
      {
        label: `function:${name}-get-item`,
        resource: at('lambda', `function:${name}-get-item`),
        actions: [
          'DeleteFunction',
          'UpdateFunctionCode',
          'UpdateFunctionConfiguration',
          'AddPermission',
          'RemovePermission',
          'PutFunctionConcurrency',
          'TagResource',
        ].map((a) => `lambda:${a}`),
      },
      {
        label: `log-group:/aws/lambda/${name}-get-item`,
        resource: at('logs', `log-group:/aws/lambda/${name}-get-item`),
        actions: ['logs:DeleteLogGroup', 'logs:PutRetentionPolicy'],
      },
      {
        label: `role/${name}-get-item-role`,
        resource: `${prefix}:iam::${account}:role/${name}-get-item-role`,
        actions: ['iam:DeleteRole', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'],
      },
      {
        label: `alarm:${name}-api-5xx`,
        resource: at('cloudwatch', `alarm:${name}-api-5xx`),
        actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
      },
      {
        label: `topic ${name}-alarms`,
        resource: at('sns', `${name}-alarms`),
        actions: ['sns:DeleteTopic', 'sns:SetTopicAttributes'],
      },
      {
        label: '/restapis/a1b2c3 (tagged stack=%s)'.replace('%s', environment),
        resource: `${prefix}:apigateway:eu-west-1::/restapis/a1b2c3`,
        actions: ['apigateway:DELETE', 'apigateway:PATCH', 'apigateway:PUT', 'apigateway:POST'],
        context: { 'aws:ResourceTag/stack': environment },
      },
    ];
  return targets.flatMap(({ label, resource, actions, context }) =>
    actions
      .filter((action) => evaluate([document], { action, resource, context }) === 'allowed')
      .map((action) => `${action} on ${label}`),
  );
}

describe('BootstrapStack', () => {
  const stack = synth();

  describe('state bucket', () => {
    it('is named from configuration and protected from terraform destroy', () => {
      expect(
        Testing.toHaveResourceWithProperties(stack.json, S3Bucket.tfResourceType, {
          bucket: PROPS.stateBucketName,
          lifecycle: { prevent_destroy: true },
        }),
      ).to.equal(true);
    });

    it('keeps every state version', () => {
      expect(
        Testing.toHaveResourceWithProperties(stack.json, S3BucketVersioningA.tfResourceType, {
          versioning_configuration: { status: 'Enabled' },
        }),
      ).to.equal(true);
    });

    it('encrypts objects at rest by default', () => {
      expect(
        Testing.toHaveResourceWithProperties(
          stack.json,
          S3BucketServerSideEncryptionConfigurationA.tfResourceType,
          {
            rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
          },
        ),
      ).to.equal(true);
    });

    for (const setting of [
      'block_public_acls',
      'block_public_policy',
      'ignore_public_acls',
      'restrict_public_buckets',
    ]) {
      it(`blocks public access: ${setting}`, () => {
        expect(
          Testing.toHaveResourceWithProperties(stack.json, S3BucketPublicAccessBlock.tfResourceType, {
            [setting]: true,
          }),
        ).to.equal(true);
      });
    }

    it('disables ACLs, so the account owns every object', () => {
      expect(
        Testing.toHaveResourceWithProperties(stack.json, S3BucketOwnershipControls.tfResourceType, {
          rule: { object_ownership: 'BucketOwnerEnforced' },
        }),
      ).to.equal(true);
    });

    it('denies every request that is not over TLS, for the bucket and its objects', () => {
      const [deny] = statements(stack, 'state-bucket-policy-document');
      expect(deny).to.deep.include({ effect: 'Deny', actions: ['s3:*'] });
      expect(deny?.principals).to.deep.equal([{ type: '*', identifiers: ['*'] }]);
      expect(deny?.resources).to.deep.equal([
        '${aws_s3_bucket.state-bucket.arn}',
        '${aws_s3_bucket.state-bucket.arn}/*',
      ]);
      expect(condition(deny, 'aws:SecureTransport')).to.deep.equal({
        test: 'Bool',
        variable: 'aws:SecureTransport',
        values: ['false'],
      });
      expect(stack.config.resource.aws_s3_bucket_policy?.['state-bucket-policy']?.policy).to.equal(
        '${data.aws_iam_policy_document.state-bucket-policy-document.json}',
      );
    });
  });

  it('creates the GitHub OIDC provider for the STS audience', () => {
    expect(
      Testing.toHaveResourceWithProperties(stack.json, IamOpenidConnectProvider.tfResourceType, {
        url: 'https://token.actions.githubusercontent.com',
        client_id_list: ['sts.amazonaws.com'],
      }),
    ).to.equal(true);
  });

  const trusts = [
    { role: 'plan', subjects: ['repo:acme/item-api:pull_request'] },
    { role: 'deploy-dev', subjects: ['repo:acme/item-api:environment:dev'] },
    { role: 'deploy-prod', subjects: ['repo:acme/item-api:environment:prod'] },
  ];
  for (const { role, subjects } of trusts) {
    describe(`${role} role trust`, () => {
      const [trust, ...others] = statements(stack, `${role}-trust`);

      it('lets only the GitHub OIDC provider assume it, by web identity', () => {
        expect(others).to.have.length(0);
        expect(trust?.actions).to.deep.equal(['sts:AssumeRoleWithWebIdentity']);
        expect(trust?.principals).to.deep.equal([
          { type: 'Federated', identifiers: ['${aws_iam_openid_connect_provider.github-oidc.arn}'] },
        ]);
      });

      it('requires the sts.amazonaws.com audience', () => {
        expect(condition(trust, 'token.actions.githubusercontent.com:aud')).to.deep.equal({
          test: 'StringEquals',
          variable: 'token.actions.githubusercontent.com:aud',
          values: ['sts.amazonaws.com'],
        });
      });

      it(`requires exactly the subject ${subjects.join(', ')}`, () => {
        expect(condition(trust, 'token.actions.githubusercontent.com:sub')).to.deep.equal({
          test: 'StringEquals',
          variable: 'token.actions.githubusercontent.com:sub',
          values: subjects,
        });
      });
    });
  }

  it('names the CI roles outside every environment prefix, so deploys cannot edit them', () => {
    const roles = Object.values(stack.config.resource.aws_iam_role ?? {}).map((r) => r.name);
    expect(roles).to.include.members([
      'item-api-github-plan',
      'item-api-github-deploy-dev',
      'item-api-github-deploy-prod',
    ]);
    expect(roles).not.to.include('item-api-github-deploy');
  });

  describe('plan role permissions', () => {
    const plan = statements(stack, 'plan-permissions');

    it('writes nothing, not even the state lock: pull-request plans run with -lock=false', () => {
      const writes = plan.filter((s) => s.actions?.some((action) => WRITE_ACTION.test(action)));
      expect(writes.map((s) => s.actions)).to.deep.equal([]);
    });

    it("reads no item data, and no object but the stacks' state", () => {
      const patterns = plan.flatMap((s) => s.actions ?? []).map(actionPattern);
      const dataReads = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'];
      for (const action of dataReads) {
        expect(patterns.filter((pattern) => pattern.test(action)).map(String), action).to.deep.equal([]);
      }
      const objectReads = plan.filter((s) => s.actions?.includes('s3:GetObject'));
      expect(objectReads.flatMap((s) => s.resources)).to.deep.equal([
        '${aws_s3_bucket.state-bucket.arn}/item-api/dev.tfstate',
        '${aws_s3_bucket.state-bucket.arn}/item-api/dev.tfstate.tflock',
        '${aws_s3_bucket.state-bucket.arn}/item-api/prod.tfstate',
        '${aws_s3_bucket.state-bucket.arn}/item-api/prod.tfstate.tflock',
        '${aws_s3_bucket.state-bucket.arn}/bootstrap/terraform.tfstate',
      ]);
    });
  });

  for (const role of ['plan', 'deploy-dev', 'deploy-prod']) {
    it(`${role} role may read the table's SSE key metadata, which the provider reads on every refresh`, () => {
      const kms = statements(stack, `${role}-permissions`).find((s) =>
        s.actions?.includes('kms:DescribeKey'),
      );
      expect(kms?.actions).to.deep.equal(['kms:DescribeKey']);
      expect(kms?.resources).to.deep.equal([
        'arn:${data.aws_partition.partition.partition}:kms:eu-west-1:${element(split(":", aws_iam_openid_connect_provider.github-oidc.arn), 4)}:key/*',
      ]);
    });
  }

  describe('roles for environments in other regions than the state bucket', () => {
    const split = synth({ region: 'eu-west-1', environmentRegions: ['us-east-1', 'ap-southeast-2'] });
    const regionsIn = (role: string) =>
      new Set(
        statements(split, `${role}-permissions`)
          .flatMap((s) => s.resources ?? [])
          .map(
            (arn) =>
              /^arn:[^:]+:(?:dynamodb|lambda|logs|cloudwatch|sns|kms|apigateway|wafv2):([^:]*):/.exec(
                arn,
              )?.[1],
          )
          .filter((region) => region !== undefined),
      );

    for (const role of ['plan', 'deploy-dev', 'deploy-prod']) {
      it(`${role} role acts in every environment region and not in the bucket's`, () => {
        expect([...regionsIn(role)]).to.have.members(['us-east-1', 'ap-southeast-2']);
      });
    }
  });

  for (const [env, other] of [
    ['dev', 'prod'],
    ['prod', 'dev'],
  ] as const) {
    describe(`${env} deploy role permissions`, () => {
      const deploy = statements(stack, `deploy-${env}-permissions`);
      const allows = deploy.filter((s) => s.effect === 'Allow');

      it('uses no wildcard action of a whole service', () => {
        const actions = allows.flatMap((s) => s.actions ?? []);
        expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).to.deep.equal([]);
      });

      it('grants a wildcard resource only to listing log groups and to the alarm email subscription', () => {
        const unscoped = allows.filter((s) => s.resources?.includes('*'));
        expect(unscoped.map((s) => s.actions)).to.deep.equal([
          ['logs:DescribeLogGroups'],
          ['sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:Unsubscribe'],
        ]);
      });

      for (const sid of [
        'DynamoDb',
        'Lambda',
        'IamRoles',
        'Logs',
        'CloudWatch',
        'Sns',
        'IamPassRoleManage',
      ]) {
        it(`${sid} reaches only ${env}'s names, item-api-${env} and item-api-${env}-*`, () => {
          const statement = allows.find((s) => s.sid === sid);
          expect(
            statement?.resources?.map((r) => r.replace(/.*[:/*]item-api-/, 'item-api-')),
          ).to.have.members([`item-api-${env}`, `item-api-${env}-*`]);
        });
      }

      it(`reaches only its own state object and lock, never ${other}'s or the bootstrap's`, () => {
        const state = allows.find((s) => s.sid === 'StateObjects');
        expect(state?.resources).to.deep.equal([
          `\${aws_s3_bucket.state-bucket.arn}/item-api/${env}.tfstate`,
          `\${aws_s3_bucket.state-bucket.arn}/item-api/${env}.tfstate.tflock`,
        ]);
        const deny = deploy.find((s) => s.sid === 'ProtectBootstrapState');
        expect(deny?.actions).to.include('s3:PutObject');
        expect(deny?.resources).to.include('${aws_s3_bucket.state-bucket.arn}/bootstrap/terraform.tfstate');
      });

      it('passes roles only to Lambda', () => {
        const passRole = allows.find((s) => s.actions?.includes('iam:PassRole'));
        expect(condition(passRole, 'iam:PassedToService')).to.deep.include({
          test: 'StringEquals',
          values: ['lambda.amazonaws.com'],
        });
      });

      it(`attaches only ${env}'s own managed policies (never AdministratorAccess)`, () => {
        const attach = allows.find((s) => s.actions?.includes('iam:AttachRolePolicy'));
        const policyArns = condition(attach, 'iam:PolicyARN');
        expect(policyArns?.test).to.equal('ArnLike');
        expect(policyArns?.values.every((arn) => arn.includes(`:policy/item-api-${env}`))).to.equal(true);
      });

      it('is denied API Gateway changes on what another stack tagged, or a request tagging for another stack', () => {
        const denies = deploy.filter((s) => s.effect === 'Deny' && s.sid?.startsWith('ApiGateway'));
        expect(denies.map((s) => s.condition)).to.deep.equal(
          ['ResourceTag', 'RequestTag'].map((kind) => [
            { test: 'Null', variable: `aws:${kind}/stack`, values: ['false'] },
            { test: 'StringNotEquals', variable: `aws:${kind}/stack`, values: [env] },
          ]),
        );
        for (const deny of denies) {
          expect(deny.actions).to.have.members([
            'apigateway:POST',
            'apigateway:PUT',
            'apigateway:PATCH',
            'apigateway:DELETE',
          ]);
        }
      });

      it(`allows no change to ${other}'s table, function, log groups, roles, alarms or topic`, () => {
        expect(crossEnvironmentChanges(deploy, other)).to.deep.equal([]);
      });
    });
  }

  it("the cross-environment check notices a role that reaches both environments (the shared role's policy)", () => {
    const shared = synth({ sharedDeployRole: true });
    const reached = crossEnvironmentChanges(statements(shared, 'deploy-permissions'), 'prod');
    expect(reached).to.include.members([
      'dynamodb:DeleteTable on table/item-api-prod-items',
      'dynamodb:UpdateTable on table/item-api-prod-items',
      'lambda:DeleteFunction on function:item-api-prod-get-item',
      'lambda:UpdateFunctionCode on function:item-api-prod-get-item',
      'apigateway:DELETE on /restapis/a1b2c3 (tagged stack=prod)',
    ]);
  });

  describe('DNS records of custom domains', () => {
    const route53 = (s: Synth, role: string) =>
      statements(s, `${role}-permissions`).filter((st) => st.actions?.some((a) => a.startsWith('route53:')));

    it('are not reachable at all when no environment has a hosted zone', () => {
      expect(route53(stack, 'deploy-dev')).to.deep.equal([]);
      expect(route53(stack, 'plan')).to.deep.equal([]);
    });

    it('may be changed by the deploy role, and read by the plan role, in the configured zones only', () => {
      const withZone = synth({ hostedZoneIds: ['Z0123456789ABC'] });
      const zone = 'arn:${data.aws_partition.partition.partition}:route53:::hostedzone/Z0123456789ABC';
      const change = route53(withZone, 'deploy-dev').find((st) =>
        st.actions?.includes('route53:ChangeResourceRecordSets'),
      );
      expect(change?.resources).to.deep.equal([zone]);
      const reads = route53(withZone, 'plan');
      expect(reads.flatMap((st) => st.actions)).to.have.members([
        'route53:GetHostedZone',
        'route53:ListResourceRecordSets',
      ]);
      expect(reads.flatMap((st) => st.resources)).to.deep.equal([zone]);
    });

    it('come from the custom domains in infra/config.ts', () => {
      const certificateArn =
        'arn:aws:acm:us-east-1:123456789012:certificate/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc';
      const environments = [
        {
          name: 'dev',
          region: 'us-east-1',
          api: { customDomain: { domainName: 'a.example.com', certificateArn, hostedZoneId: 'ZA' } },
        },
        {
          name: 'prod',
          region: 'us-east-1',
          api: { customDomain: { domainName: 'b.example.com', certificateArn } },
        },
      ];
      expect(bootstrapPropsFromEnv({}, environments).hostedZoneIds).to.deep.equal(['ZA']);
    });
  });

  describe("API Gateway's account-level logging role", () => {
    const split = synth({ region: 'eu-west-1', environmentRegions: ['us-east-1', 'eu-west-1'] });
    const settings = Object.values(split.config.resource.aws_api_gateway_account ?? {});
    const providers = (split.config as unknown as { provider: { aws: { alias?: string; region: string }[] } })
      .provider.aws;

    const [roleId, role] = Object.entries(split.config.resource.aws_iam_role ?? {}).find(
      ([, r]) => r.name === 'item-api-apigateway-cloudwatch',
    ) ?? ['missing', {}];

    it('is a role only API Gateway can assume, with the managed push-to-CloudWatch policy', () => {
      expect(JSON.parse(String(role?.assume_role_policy)).Statement).to.deep.equal([
        { Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
      expect(
        Object.values(split.config.resource.aws_iam_role_policy_attachment ?? {}),
      ).to.deep.include.members([
        {
          role: `\${aws_iam_role.${roleId}.name}`,
          policy_arn:
            'arn:${data.aws_partition.partition.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
        },
      ]);
    });

    it('is set in every environment region, through a provider for that region, and reset on destroy', () => {
      expect(settings).to.have.lengthOf(2);
      const regions = settings.map((setting) => {
        const alias = String(setting.provider).replace(/^aws\./, '');
        return providers.find((p) => p.alias === alias)?.region;
      });
      expect(regions).to.have.members(['us-east-1', 'eu-west-1']);
      for (const setting of settings) {
        expect(setting).to.include({
          cloudwatch_role_arn: `\${aws_iam_role.${roleId}.arn}`,
          reset_on_delete: true,
        });
      }
    });

    it('can be left out when the account already has one', () => {
      const without = synth({ apiGatewayLogsRole: false });
      expect(without.config.resource).not.to.have.any.keys(
        'aws_api_gateway_account',
        'aws_iam_role_policy_attachment',
      );
      expect(bootstrapPropsFromEnv({ BOOTSTRAP_APIGATEWAY_LOGS_ROLE: '0' }).apiGatewayLogsRole).to.equal(
        false,
      );
      expect(bootstrapPropsFromEnv({}).apiGatewayLogsRole).to.equal(true);
    });
  });

  it("outputs the bucket name, the plan role's ARN and each environment's deploy role ARN, naming the variable each fills", () => {
    const outputs = stack.config.output as Record<string, { value: unknown; description?: string }>;
    expect(outputs).to.have.all.keys(
      'state_bucket_name',
      'plan_role_arn',
      'deploy_role_arn_dev',
      'deploy_role_arn_prod',
    );
    expect(outputs.deploy_role_arn_dev).to.deep.equal({
      value: '${aws_iam_role.deploy-dev-role.arn}',
      description: 'Variable AWS_DEPLOY_ROLE_ARN of the GitHub Environment dev',
    });
    expect(outputs.deploy_role_arn_prod?.value).to.equal('${aws_iam_role.deploy-prod-role.arn}');
  });

  describe('migration from the shared deploy role (sharedDeployRole)', () => {
    const shared = synthBootstrap(
      bootstrapPropsFromEnv({
        GITHUB_OWNER: 'acme',
        GITHUB_REPO: 'item-api',
        BOOTSTRAP_SHARED_DEPLOY_ROLE: '1',
      }),
    );

    it('keeps the shared role at its address, with the name and trust it had before', () => {
      expect(shared.config.resource.aws_iam_role?.['deploy-role']).to.deep.include({
        name: 'item-api-github-deploy',
        assume_role_policy: '${data.aws_iam_policy_document.deploy-trust.json}',
      });
      const [trust] = statements(shared, 'deploy-trust');
      expect(condition(trust, 'token.actions.githubusercontent.com:sub')?.values).to.deep.equal([
        'repo:acme/item-api:environment:dev',
        'repo:acme/item-api:environment:prod',
      ]);
      expect(shared.config.output).to.have.property('deploy_role_arn');
    });

    it('adds the per-environment roles beside it, and the plain bootstrap drops it', () => {
      expect(Object.keys(shared.config.resource.aws_iam_role ?? {})).to.include.members([
        'deploy-role',
        'deploy-dev-role',
        'deploy-prod-role',
      ]);
      expect(stack.config.resource.aws_iam_role).not.to.have.property('deploy-role');
      expect(bootstrapPropsFromEnv({}).sharedDeployRole).to.equal(false);
    });

    it('still reaches every environment, so deploys that use it keep working', () => {
      expect(crossEnvironmentChanges(statements(shared, 'deploy-permissions'), 'dev')).to.not.be.empty;
      expect(crossEnvironmentChanges(statements(shared, 'deploy-permissions'), 'prod')).to.not.be.empty;
    });
  });

  describe('state backend', () => {
    it('is local by default, because the bucket does not exist before the first deploy', () => {
      expect(stack.config.terraform.backend).to.have.all.keys('local');
    });

    it('moves into its own bucket, encrypted and S3-locked, when remoteState is set', () => {
      const remote = synth({ remoteState: true });
      expect((remote.config.terraform.backend as Record<string, unknown>).s3).to.deep.include({
        bucket: PROPS.stateBucketName,
        key: 'bootstrap/terraform.tfstate',
        encrypt: true,
        use_lockfile: true,
      });
    });
  });

  it('reuses an existing OIDC provider instead of creating a second one', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const reused = synth({ existingOidcProviderArn: arn });
    expect(Testing.toHaveResource(reused.json, IamOpenidConnectProvider.tfResourceType)).to.equal(false);
    expect(statements(reused, 'plan-trust')[0]?.principals?.[0]?.identifiers).to.deep.equal([arn]);
    expect(statements(reused, 'deploy-dev-permissions').flatMap((s) => s.resources ?? [])).to.include(
      'arn:${data.aws_partition.partition.partition}:lambda:eu-west-1:123456789012:function:item-api-dev-*',
    );
  });

  describe('rejects invalid configuration at synth time', () => {
    const cases: { name: string; props: Partial<BootstrapStackProps>; error: RegExp }[] = [
      {
        name: 'a region that is not one',
        props: { region: 'europe' },
        error: /- bootstrap\.region must be an AWS region/,
      },
      { name: 'an owner with a slash', props: { githubOwner: 'acme/x' }, error: /- bootstrap\.githubOwner / },
      { name: 'an empty repository', props: { githubRepo: '' }, error: /- bootstrap\.githubRepo / },
      {
        name: 'a bucket with capitals',
        props: { stateBucketName: 'Acme-State' },
        error: /- bootstrap\.stateBucketName /,
      },
      {
        name: 'a bucket with dots',
        props: { stateBucketName: 'acme.state' },
        error: /- bootstrap\.stateBucketName /,
      },
      {
        name: 'no environments',
        props: { environments: [] },
        error: /- bootstrap\.environments must name at least one/,
      },
      {
        name: 'a repeated environment',
        props: { environments: ['dev', 'dev'] },
        error: /- bootstrap\.environments must not repeat/,
      },
      {
        name: 'the reserved CI environment',
        props: { environments: ['github'] },
        error: /- bootstrap\.environments\[0\] "github" is reserved/,
      },
      {
        name: 'the reserved logging-role name',
        props: { environments: ['apigateway'] },
        error: /- bootstrap\.environments\[0\] "apigateway" is reserved/,
      },
      { name: 'a prefix with capitals', props: { namePrefix: 'Item' }, error: /- bootstrap\.namePrefix / },
      {
        name: 'an OIDC provider of another issuer',
        props: { existingOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example.com' },
        error: /- bootstrap\.existingOidcProviderArn /,
      },
    ];
    for (const { name, props, error } of cases) {
      it(name, () => {
        expect(() => synth(props)).to.throw(error);
      });
    }

    it('lists every problem at once', () => {
      expect(() => synth({ githubOwner: 'acme/x', githubRepo: '', namePrefix: 'Item' }))
        .to.throw(/^Invalid bootstrap configuration:/)
        .with.property('problems')
        .that.has.lengthOf(3);
    });
  });
});

describe('bootstrapPropsFromEnv', () => {
  it('takes owner and repository from GITHUB_REPOSITORY, as GitHub Actions sets it', () => {
    expect(bootstrapPropsFromEnv({ GITHUB_REPOSITORY: 'acme/shop-api' })).to.include({
      githubOwner: 'acme',
      githubRepo: 'shop-api',
    });
  });

  it('reads BOOTSTRAP_OIDC_PROVIDER_ARN, and stops with the new name when the old GITHUB_ one is set', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    expect(bootstrapPropsFromEnv({ BOOTSTRAP_OIDC_PROVIDER_ARN: arn }).existingOidcProviderArn).to.equal(arn);
    expect(() => bootstrapPropsFromEnv({ GITHUB_OIDC_PROVIDER_ARN: arn }))
      .to.throw(ConfigValidationError)
      .with.property('message')
      .that.matches(/GITHUB_OIDC_PROVIDER_ARN is no longer read: set BOOTSTRAP_OIDC_PROVIDER_ARN instead/);
  });

  it('prefers GITHUB_OWNER, GITHUB_REPO, AWS_REGION and TF_STATE_BUCKET when set', () => {
    const env = {
      GITHUB_REPOSITORY: 'acme/shop-api',
      GITHUB_OWNER: 'other',
      GITHUB_REPO: 'fork',
      AWS_REGION: 'us-east-2',
      TF_STATE_BUCKET: 'my-state',
      BOOTSTRAP_REMOTE_STATE: '1',
    };
    expect(bootstrapPropsFromEnv(env)).to.include({
      githubOwner: 'other',
      githubRepo: 'fork',
      region: 'us-east-2',
      stateBucketName: 'my-state',
      remoteState: true,
    });
  });

  it('derives a valid bucket name from owner and repository when none is given', () => {
    expect(defaultStateBucketName('item-api', 'Big_Org', 'Repo.Name')).to.equal(
      'item-api-tfstate-big-org-repo-name',
    );
    expect(defaultStateBucketName('item-api', 'o'.repeat(39), 'r'.repeat(100))).to.have.length.at.most(63);
  });

  it('serves exactly the environments and regions of infra/config.ts, whatever AWS_REGION says', () => {
    const props = bootstrapPropsFromEnv({ AWS_REGION: 'eu-west-1' });
    expect(props.region).to.equal('eu-west-1');
    expect(props.environments).to.deep.equal(ENVIRONMENTS.map((e) => e.name));
    expect(props.environmentRegions).to.have.members([...new Set(ENVIRONMENTS.map((e) => e.region))]);
  });

  it('covers every configured environment with the deploy role’s name patterns', () => {
    const { namePrefix } = resolveBootstrapProps(bootstrapPropsFromEnv({}));
    for (const environment of ENVIRONMENTS) {
      expect(environment.namePrefix, environment.name).to.equal(`${namePrefix}-${environment.name}`);
    }
  });

  it('synthesizes with nothing set, so cdktf synth works on a fresh clone', () => {
    const app = Testing.app();
    expect(() =>
      Testing.synth(new BootstrapStack(app, 'bootstrap', bootstrapPropsFromEnv({}))),
    ).to.not.throw();
  });
});
