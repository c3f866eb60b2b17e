import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateApiKeyCommand,
  GetAccountCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetBasePathMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  GetGatewayResponsesCommand,
  GetIntegrationCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { GetOpenIDConnectProviderCommand, GetRoleCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, GetPolicyCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { ListSubscriptionsCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { CreateWebACLCommand, GetWebACLForResourceCommand } from '@aws-sdk/client-wafv2';
import { expect } from 'chai';
import { LANE } from '#shared/toolchain';
import { deployRoleStatements } from '../../infra/bootstrap/ci-permissions';
import { pluginDirFromEnv } from '../../scripts/lib/offline-plan';
import { runTerraform } from '../../scripts/lib/run-terraform';
import { effective, environment } from '../infra/synth';
import { testFlag } from '../support/flags';
import {
  deployedApi,
  gatewayResponse,
  IAM_DEPLOY,
  keysDeploy,
  methodAccess,
  policyStatements,
  setAccess,
  VPC_ENDPOINT,
} from './access-modes';
import {
  applySavedPlan,
  changesOf,
  EMULATOR_GAPS,
  type Plan,
  planJson,
  realDrift,
  rolePolicies,
} from './deploy-steps';
import { findDeployTools } from './deploy-tools';
import {
  aliasRecords,
  cdktfOnEmulatorEnv,
  createHostedZone,
  type EmulatorClients,
  emulatorClients,
  requestCertificate,
  writeEmulatorOverride,
  writeTerraformCliConfig,
} from './emulated-aws';
import { documentOf, evaluate, type PolicyStatement, withoutGrantsFor } from './iam-evaluator';
import { type MotoServer, startMotoServer } from './moto-server';
import { type PolicyProxy, startPolicyProxy } from './policy-proxy';
import type { Account } from './recorded-calls';
import {
  changes,
  describeCall,
  isSharedAcrossEnvironments,
  type JudgedCall,
  judgedCalls,
  refused,
  WRITE_ACTION,
} from './role-judgement';
import { type CommandResult, copyWorkTree, editFile, runCommand } from './work-tree';

/**
 * The deploy path as a user runs it, against moto (an AWS API emulator) with the real Terraform
 * and hashicorp/aws provider: `npx cdktf synth` on a clean copy, the offline `npm run plan`, then
 * `npx cdktf deploy` of the bootstrap and of dev, plans, an update, a replacement and `npx cdktf
 * destroy`. Every AWS call Terraform makes is recorded from its JSON log and checked against the
 * CI roles' policies as deployed.
 *
 * What moto cannot show, and this test therefore does not claim: IAM conditions and trust
 * policies (moto's own IAM enforcement was tried: it checks resource ARNs only for IAM, S3, STS
 * and SQS, and treats any statement with a condition it cannot evaluate as an explicit deny, so
 * the calls are judged by test/deploy/iam-evaluator.ts instead); that the function runs (no
 * Docker); API Gateway serving requests and writing access logs; KMS key policies.
 */

const ACCOUNT = { partition: 'aws', accountId: '123456789012' };
const BUCKET_REGION = 'eu-west-1';
const STACK_REGION = 'us-east-1';
const STATE_BUCKET = 'acme-item-api-tfstate';
const DOMAIN = 'api.example.com';

type Role = 'admin' | 'plan' | 'deploy-dev' | 'deploy-prod';
const DEPLOY_ROLES = ['deploy-dev', 'deploy-prod'] as const;

describe('emulated deploy: cdktf deploy, plan, update, replace and destroy against moto', function () {
  this.timeout(900_000);
  let moto: MotoServer | undefined;
  let policyProxy: PolicyProxy | undefined;
  let tree = '';
  let logs = '';
  let baseEnv: NodeJS.ProcessEnv = {};
  let aws: EmulatorClients;
  let awsAtBucket: EmulatorClients;
  let bucketPolicy: string | undefined;
  let hostedZoneId = '';
  const recorded: { role: Role; file: string }[] = [];
  /** API Gateway's tags per REST API id, domain name, usage plan and key id, as AWS held them while the stacks lived. */
  const apiGatewayTags = new Map<string, Readonly<Record<string, string>>>();
  const rememberApiGatewayTags = async () => {
    for (const api of (await aws.apigateway.send(new GetRestApisCommand({}))).items ?? [])
      apiGatewayTags.set(`restapis/${api.id}`, api.tags ?? {});
    for (const domain of (await aws.apigateway.send(new GetDomainNamesCommand({}))).items ?? [])
      apiGatewayTags.set(`domainnames/${domain.domainName}`, domain.tags ?? {});
    for (const plan of (await aws.apigateway.send(new GetUsagePlansCommand({}))).items ?? [])
      apiGatewayTags.set(`usageplans/${plan.id}`, plan.tags ?? {});
    for (const key of (await aws.apigateway.send(new GetApiKeysCommand({}))).items ?? [])
      apiGatewayTags.set(`apikeys/${key.id}`, key.tags ?? {});
  };
  const stackDir = (stack: string) => path.join(tree, 'cdktf.out', 'stacks', stack);
  /** The account as the recorded calls are judged in: execution roles by name, API Gateway's tags as held. */
  const judgeAccount: Account = {
    ...ACCOUNT,
    functionRole: (name) => `arn:aws:iam::${ACCOUNT.accountId}:role/${name}-role`,
    apiGatewayTags: (kind, id) => apiGatewayTags.get(`${kind}/${id}`),
  };

  before(async function () {
    const tools = findDeployTools();
    if (typeof tools === 'string') {
      if (testFlag('REQUIRE_MOTO')) throw new Error(`REQUIRE_MOTO=1, but ${tools}`);
      console.warn(`      skipped: ${tools}`);
      this.skip();
    }
    moto = await startMotoServer(tools.moto);
    policyProxy = await startPolicyProxy(moto.endpoint);
    tree = copyWorkTree();
    logs = mkdtempSync(path.join(tmpdir(), 'item-api-tflogs-'));
    baseEnv = {
      ...cdktfOnEmulatorEnv({
        endpoint: moto.endpoint,
        cliConfig: writeTerraformCliConfig(tools.pluginDir),
        region: BUCKET_REGION,
      }),
      CI: '1',
      NO_COLOR: '1',
      // API Gateway through the proxy that returns resource policies as AWS does (see its file).
      AWS_ENDPOINT_URL_API_GATEWAY: policyProxy.endpoint,
    };
    aws = emulatorClients(moto.endpoint, STACK_REGION);
    awsAtBucket = emulatorClients(moto.endpoint, BUCKET_REGION);
  });

  after(async () => {
    await policyProxy?.stop();
    await moto?.stop();
    for (const dir of [tree, logs]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const withState = { TF_STATE_BUCKET: STATE_BUCKET, TF_STATE_REGION: BUCKET_REGION };

  /** Runs a command in the copy; with `record`, Terraform's JSON log of its AWS calls is kept for `role`. */
  function run(args: string[], env: NodeJS.ProcessEnv = {}, record?: Role): CommandResult {
    const file = path.join(logs, `${recorded.length}-${record ?? 'none'}.json`);
    if (record) recorded.push({ role: record, file });
    const [command, ...rest] = args as [string, ...string[]];
    return runCommand(command, rest, {
      cwd: tree,
      env: { ...baseEnv, ...env, ...(record && { TF_LOG: 'JSON', TF_LOG_PATH: file }) },
    });
  }
  const cdktf = path.join('node_modules', '.bin', 'cdktf');
  const expectSuccess = (result: CommandResult) =>
    expect(result.status, result.output.slice(-6000)).to.equal(0);
  const terraformEnv = (env: NodeJS.ProcessEnv, role: Role) => {
    const file = path.join(logs, `${recorded.length}-${role}.json`);
    recorded.push({ role, file });
    return { ...baseEnv, ...env, TF_LOG: 'JSON', TF_LOG_PATH: file };
  };

  it('npx cdktf synth works on a clean copy with no dist/: the app command builds the bundle first', () => {
    expect(existsSync(path.join(tree, 'dist'))).to.equal(false);
    expectSuccess(run([cdktf, 'synth']));
    expect(existsSync(path.join(tree, 'dist', 'handler', 'index.mjs'))).to.equal(true);
    for (const stack of ['dev', 'prod', 'bootstrap']) {
      expect(existsSync(path.join(stackDir(stack), '.terraform.lock.hcl')), stack).to.equal(true);
    }
  });

  it('the offline npm run plan leaves nothing in the stack folders that a deploy would trip on', () => {
    expectSuccess(
      run(['npm', 'run', 'plan', '--', 'bootstrap', 'dev'], { TF_PLUGIN_DIR: pluginDirFromEnv() }),
    );
    for (const stack of ['bootstrap', 'dev']) {
      expect(readdirSync(stackDir(stack)), stack).not.to.include('.terraform');
    }
  });

  it('refuses to deploy an environment with local state nobody asked for, and creates nothing', async () => {
    const result = run([cdktf, 'deploy', 'prod', '--auto-approve']);
    expect(result.status).not.to.equal(0);
    expect(result.output, result.output.slice(-4000))
      .to.include('ITEM_API_LOCAL_STATE=1')
      .and.include('TF_STATE_BUCKET');
    expect((await aws.lambda.send(new ListFunctionsCommand({}))).Functions).to.deep.equal([]);
  });

  it('deploys the bootstrap: state bucket in eu-west-1, CI roles for the environments in us-east-1', async () => {
    writeEmulatorOverride(stackDir('bootstrap'));
    expectSuccess(run([cdktf, 'deploy', 'bootstrap', '--auto-approve'], withState, 'admin'));

    const bucket = { Bucket: STATE_BUCKET };
    expect((await awsAtBucket.s3.send(new GetBucketVersioningCommand(bucket))).Status).to.equal('Enabled');
    expect(
      (await awsAtBucket.s3.send(new GetPublicAccessBlockCommand(bucket))).PublicAccessBlockConfiguration,
    ).to.deep.equal({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    bucketPolicy = (await awsAtBucket.s3.send(new GetBucketPolicyCommand(bucket))).Policy;
    expect(bucketPolicy).to.include('aws:SecureTransport');

    const oidc = `arn:aws:iam::${ACCOUNT.accountId}:oidc-provider/token.actions.githubusercontent.com`;
    const provider = await aws.iam.send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: oidc }),
    );
    expect(provider.ClientIDList).to.deep.equal(['sts.amazonaws.com']);
    for (const role of [
      'item-api-github-plan',
      'item-api-github-deploy-dev',
      'item-api-github-deploy-prod',
    ]) {
      const { Role: found } = await aws.iam.send(new GetRoleCommand({ RoleName: role }));
      expect(decodeURIComponent(found?.AssumeRolePolicyDocument ?? ''), role).to.include(oidc);
      const arns = JSON.stringify(await rolePolicies(aws, role));
      expect(arns, role).to.include(`:${STACK_REGION}:`);
      expect(arns, role).not.to.match(new RegExp(`:(dynamodb|lambda|logs):${BUCKET_REGION}:`));
    }
    const { Role: logsRole } = await aws.iam.send(
      new GetRoleCommand({ RoleName: 'item-api-apigateway-cloudwatch' }),
    );
    expect((await aws.apigateway.send(new GetAccountCommand({}))).cloudwatchRoleArn).to.equal(logsRole?.Arn);
  });

  it('a plan of the bootstrap right after, as the plan role, proposes nothing', () => {
    expectSuccess(run([cdktf, 'synth'], withState));
    const plan = planJson(stackDir('bootstrap'), terraformEnv(withState, 'plan'), ['-lock=false']);
    expect(realDrift(plan)).to.deep.equal([]);
  });

  it("deploys dev with cdktf deploy into the state bucket, as dev's deploy role", async () => {
    // moto applies a bucket policy's Deny even when its condition (aws:SecureTransport = false)
    // does not hold, which would refuse every state request; AWS does not. Set aside meanwhile.
    await awsAtBucket.s3.send(new DeleteBucketPolicyCommand({ Bucket: STATE_BUCKET }));
    writeEmulatorOverride(stackDir('dev'));
    expectSuccess(run([cdktf, 'deploy', 'dev', '--auto-approve'], withState, 'deploy-dev'));
    await rememberApiGatewayTags();

    const { Configuration: fn } = await aws.lambda.send(
      new GetFunctionCommand({ FunctionName: 'item-api-dev-get-item' }),
    );
    const dev = effective(environment('dev'));
    expect(fn).to.deep.include({
      // The toolchain lane's runtime: the next-lane workflow runs this file on nodejs24.x.
      Runtime: LANE.lambdaRuntime,
      Handler: 'index.handler',
      MemorySize: dev.memoryMb,
      Timeout: dev.timeoutSeconds,
    });
    expect(fn?.Architectures).to.deep.equal(['arm64']);
    expect(fn?.TracingConfig?.Mode).to.equal('Active');
    expect(fn?.Environment?.Variables).to.deep.equal({ TABLE_NAME: 'item-api-dev-items' });

    const { Table: table } = await aws.dynamodb.send(
      new DescribeTableCommand({ TableName: 'item-api-dev-items' }),
    );
    expect(table?.KeySchema).to.deep.equal([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table?.BillingModeSummary?.BillingMode).to.equal('PAY_PER_REQUEST');
    expect(table?.StreamSpecification).to.deep.equal({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(table?.SSEDescription?.Status).to.equal('ENABLED');
    const backups = await aws.dynamodb.send(
      new DescribeContinuousBackupsCommand({ TableName: 'item-api-dev-items' }),
    );
    expect(
      backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
    ).to.equal('ENABLED');

    const api = (await aws.apigateway.send(new GetRestApisCommand({}))).items?.find(
      (a) => a.name === 'item-api-dev-api',
    );
    const resource = (await aws.apigateway.send(new GetResourcesCommand({ restApiId: api?.id }))).items?.find(
      (r) => r.path === '/{id}',
    );
    // No CORS configured: GET and HEAD only, no preflight.
    expect(Object.keys(resource?.resourceMethods ?? {})).to.have.members(['GET', 'HEAD']);
    const integration = await aws.apigateway.send(
      new GetIntegrationCommand({ restApiId: api?.id, resourceId: resource?.id, httpMethod: 'GET' }),
    );
    expect(integration).to.deep.include({
      type: 'AWS_PROXY',
      httpMethod: 'POST',
      uri: `arn:aws:apigateway:${STACK_REGION}:lambda:path/2015-03-31/functions/${fn?.FunctionArn}/invocations`,
    });
    const stage = await aws.apigateway.send(new GetStageCommand({ restApiId: api?.id, stageName: 'v1' }));
    expect(stage.tracingEnabled).to.equal(true);
    expect(stage.accessLogSettings?.destinationArn).to.include(
      ':log-group:/aws/apigateway/item-api-dev-api/v1/access',
    );
    expect(stage.methodSettings?.['*/*']).to.deep.include({
      throttlingRateLimit: 50,
      throttlingBurstLimit: 100,
      metricsEnabled: true,
      dataTraceEnabled: false,
    });
    const permission = await aws.lambda.send(new GetPolicyCommand({ FunctionName: 'item-api-dev-get-item' }));
    expect(permission.Policy).to.include(`${api?.id}/v1/GET/*`).and.include(`${api?.id}/v1/HEAD/*`);
    const gatewayErrors = await aws.apigateway.send(new GetGatewayResponsesCommand({ restApiId: api?.id }));
    const noStore = (gatewayErrors.items ?? [])
      .filter((r) => r.responseParameters?.['gatewayresponse.header.Cache-Control'] === "'no-store'")
      .map((r) => r.responseType);
    expect(noStore).to.include.members(['DEFAULT_4XX', 'DEFAULT_5XX', 'MISSING_AUTHENTICATION_TOKEN']);

    const alarms = await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'item-api-dev-' }));
    expect(alarms.MetricAlarms?.map((a) => a.AlarmName)).to.have.lengthOf(6);
    const groups = await aws.logs.send(new DescribeLogGroupsCommand({}));
    const devGroups = groups.logGroups?.filter((g) => g.logGroupName?.includes('item-api-dev-'));
    expect(devGroups?.map((g) => g.retentionInDays)).to.deep.equal([14, 14]);
    const role = await aws.iam.send(new GetRoleCommand({ RoleName: 'item-api-dev-get-item-role' }));
    expect(fn?.Role).to.equal(role.Role?.Arn);
    const [executionPolicy] = await rolePolicies(aws, 'item-api-dev-get-item-role');
    const statements = (executionPolicy?.Statement ?? []) as readonly PolicyStatement[];
    expect(statements.find((st) => st.Sid === 'ReadItems')).to.deep.include({
      Action: ['dynamodb:GetItem'],
      Resource: [table?.TableArn],
    });
  });

  it("deploys prod beside it, as prod's deploy role: its own state object, names and tags", async () => {
    // The refused deploy above initialized prod with local state; this one uses the bucket.
    rmSync(path.join(stackDir('prod'), '.terraform'), { recursive: true, force: true });
    writeEmulatorOverride(stackDir('prod'));
    expectSuccess(run([cdktf, 'deploy', 'prod', '--auto-approve'], withState, 'deploy-prod'));
    await rememberApiGatewayTags();
    const { Configuration: fn } = await aws.lambda.send(
      new GetFunctionCommand({ FunctionName: 'item-api-prod-get-item' }),
    );
    expect(fn?.Environment?.Variables).to.deep.equal({ TABLE_NAME: 'item-api-prod-items' });
    const api = (await aws.apigateway.send(new GetRestApisCommand({}))).items?.find(
      (a) => a.name === 'item-api-prod-api',
    );
    expect(api?.tags).to.deep.include({ stack: 'prod' });
    const objects = await awsAtBucket.s3.send(new ListObjectsV2Command({ Bucket: STATE_BUCKET }));
    expect(objects.Contents?.map((o) => o.Key)).to.include.members([
      'item-api/dev.tfstate',
      'item-api/prod.tfstate',
    ]);
  });

  const planDev = (role: Role = 'plan'): Plan =>
    planJson(stackDir('dev'), terraformEnv(withState, role), ['-lock=false']);

  it(`a plan right after, as the plan role and without the lock, proposes nothing (moto gaps: ${EMULATOR_GAPS.map((g) => g.attribute).join(', ')})`, () => {
    expect(realDrift(planDev())).to.deep.equal([]);
  });

  it('an in-place update (log retention 14 → 30 days) is planned as updates only, and applies', async () => {
    editFile(tree, 'infra/config.ts', 'logRetentionDays: 14,', 'logRetentionDays: 30,');
    expectSuccess(run([cdktf, 'synth'], withState));
    const changes = changesOf(planDev('admin'), { ignoreEmulatorGaps: true });
    expect(changes.map((c) => c.actions)).to.deep.equal(['update', 'update']);
    expect(changes.map((c) => c.address)).to.satisfy((a: string[]) =>
      a.every((x) => x.startsWith('aws_cloudwatch_log_group.')),
    );
    expectSuccess(run([cdktf, 'deploy', 'dev', '--auto-approve'], withState, 'deploy-dev'));
    const groups = await aws.logs.send(new DescribeLogGroupsCommand({}));
    const devGroups = groups.logGroups?.filter((g) => g.logGroupName?.includes('item-api-dev-'));
    expect(devGroups?.map((g) => g.retentionInDays)).to.deep.equal([30, 30]);
  });

  it('the optional settings deploy and then plan clean: alarm email, CORS, caching, WAF, custom domain', async () => {
    const acl = await aws.wafv2.send(
      new CreateWebACLCommand({
        Name: 'shared-acl',
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: {
          SampledRequestsEnabled: false,
          CloudWatchMetricsEnabled: false,
          MetricName: 'shared',
        },
      }),
    );
    const aclArn = acl.Summary?.ARN as string;
    const certificateArn = await requestCertificate(moto?.endpoint as string, STACK_REGION, DOMAIN);
    const zoneId = await createHostedZone(moto?.endpoint as string, 'example.com');
    hostedZoneId = zoneId;
    // Every optional setting, in the config's grouped shape; dev's own throttling stays.
    const options = {
      corsAllowOrigins: ['https://app.example.com', 'https://admin.example.com'],
      fn: { cacheControl: { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 30 } },
      api: {
        throttling: { rateLimit: 50, burstLimit: 100 },
        wafWebAclArn: aclArn,
        customDomain: {
          domainName: DOMAIN,
          certificateArn,
          hostedZoneId: zoneId,
          disableDefaultEndpoint: true,
        },
      },
      alarms: { email: 'ops@example.com' },
    };
    const settings = JSON.stringify(options).slice(1, -1);
    editFile(
      tree,
      'infra/config.ts',
      'api: { throttling: { rateLimit: 50, burstLimit: 100 } },',
      `${settings},`,
    );
    // The deploy role may change DNS records only in zones named in the config: the bootstrap
    // takes the new zone first, as docs/deploy.md says to.
    expectSuccess(run([cdktf, 'deploy', 'bootstrap', '--auto-approve'], withState, 'admin'));
    await awsAtBucket.s3.send(new DeleteBucketPolicyCommand({ Bucket: STATE_BUCKET }));
    expectSuccess(run([cdktf, 'deploy', 'dev', '--auto-approve'], withState, 'deploy-dev'));
    await rememberApiGatewayTags();

    const topics = (await aws.sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn);
    expect(topics).to.deep.equal([`arn:aws:sns:${STACK_REGION}:${ACCOUNT.accountId}:item-api-dev-alarms`]);
    const subscriptions = (await aws.sns.send(new ListSubscriptionsCommand({}))).Subscriptions;
    expect(subscriptions?.map((s) => [s.Protocol, s.Endpoint])).to.deep.equal([['email', 'ops@example.com']]);
    const { Configuration: fn } = await aws.lambda.send(
      new GetFunctionCommand({ FunctionName: 'item-api-dev-get-item' }),
    );
    expect(fn?.Environment?.Variables).to.deep.include({
      CORS_ALLOW_ORIGIN: 'https://app.example.com,https://admin.example.com',
      CACHE_CONTROL: 'max-age=60, stale-while-revalidate=30',
    });
    const api = (await aws.apigateway.send(new GetRestApisCommand({}))).items?.find(
      (a) => a.name === 'item-api-dev-api',
    );
    expect(api?.disableExecuteApiEndpoint).to.equal(true);
    const resource = (await aws.apigateway.send(new GetResourcesCommand({ restApiId: api?.id }))).items?.find(
      (r) => r.path === '/{id}',
    );
    expect(Object.keys(resource?.resourceMethods ?? {})).to.have.members(['GET', 'HEAD', 'OPTIONS']);
    const preflight = await aws.apigateway.send(
      new GetIntegrationCommand({ restApiId: api?.id, resourceId: resource?.id, httpMethod: 'OPTIONS' }),
    );
    expect(preflight.type).to.equal('MOCK');
    expect(JSON.stringify(preflight.integrationResponses)).to.include(
      'responseOverride.header.Access-Control-Allow-Origin',
    );
    const stageArn = `arn:aws:apigateway:${STACK_REGION}::/restapis/${api?.id}/stages/v1`;
    const guard = await aws.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: stageArn }));
    expect(guard.WebACL?.ARN).to.equal(aclArn);

    const domain = await aws.apigateway.send(new GetDomainNameCommand({ domainName: DOMAIN }));
    expect(domain).to.deep.include({ securityPolicy: 'TLS_1_2', regionalCertificateArn: certificateArn });
    const mappings = await aws.apigateway.send(new GetBasePathMappingsCommand({ domainName: DOMAIN }));
    expect(mappings.items?.map((m) => [m.restApiId, m.stage])).to.deep.equal([[api?.id, 'v1']]);
    expect(await aliasRecords(moto?.endpoint as string, zoneId)).to.deep.equal({
      [DOMAIN]: domain.regionalDomainName,
    });
    const outputs = JSON.parse(
      runTerraform({ terraform: 'terraform', cwd: stackDir('dev'), env: { ...baseEnv, ...withState } }, [
        'output',
        '-json',
      ]),
    );
    expect(outputs.api_url.value).to.equal(`https://${DOMAIN}`);

    expect(realDrift(planDev())).to.deep.equal([]);
  });

  it('replacing the table (new key schema) or the role (new path) is planned destroy-then-create', () => {
    editFile(
      tree,
      'handler/src/key-schema.ts',
      "sortKey: { name: 'sk', type: 'S' }",
      "sortKey: { name: 'id', type: 'S' }",
    );
    expectSuccess(run([cdktf, 'synth'], withState));
    // A role's path is the one thing that replaces it under the same name; no setting exposes it,
    // so it is changed in the synthesized configuration (and only planned: the deploy role manages
    // roles by name without a path, as the stacks create them).
    const config = path.join(stackDir('dev'), 'cdk.tf.json');
    const json = JSON.parse(readFileSync(config, 'utf8'));
    for (const role of Object.values(json.resource.aws_iam_role) as Record<string, unknown>[])
      role.path = '/moved/';
    writeFileSync(config, JSON.stringify(json));

    const replaced = changesOf(planDev('admin')).filter((c) => c.actions.includes('delete'));
    expect(replaced.map((c) => c.address.split('.')[0])).to.include.members([
      'aws_dynamodb_table',
      'aws_iam_role',
    ]);
    // AWS refuses a second table or role of the same name: every replacement must delete first.
    expect(replaced.filter((c) => c.actions !== 'delete,create')).to.deep.equal([]);
  });

  it("the table replacement applies as dev's deploy role", async () => {
    expectSuccess(run([cdktf, 'synth'], withState));
    const replaced = changesOf(planDev('deploy-dev')).filter((c) => c.actions.includes('delete'));
    expect(replaced.map((c) => [c.address.split('.')[0], c.actions])).to.deep.equal([
      ['aws_dynamodb_table', 'delete,create'],
    ]);
    applySavedPlan(stackDir('dev'), terraformEnv(withState, 'deploy-dev'));
    const { Table: table } = await aws.dynamodb.send(
      new DescribeTableCommand({ TableName: 'item-api-dev-items' }),
    );
    expect(table?.KeySchema?.map((k) => k.AttributeName)).to.deep.equal(['pk', 'id']);
  });

  it("npx cdktf destroy dev leaves nothing of the stack behind, and prod's stack untouched", async () => {
    expectSuccess(run([cdktf, 'destroy', 'dev', '--auto-approve'], withState, 'deploy-dev'));
    const dev = (names: (string | undefined)[] | undefined) =>
      (names ?? []).filter((n) => n?.includes('item-api-dev'));
    const functions = (await aws.lambda.send(new ListFunctionsCommand({}))).Functions?.map(
      (f) => f.FunctionName,
    );
    expect(dev(functions)).to.deep.equal([]);
    expect(functions).to.deep.equal(['item-api-prod-get-item']);
    expect((await aws.dynamodb.send(new ListTablesCommand({}))).TableNames).to.deep.equal([
      'item-api-prod-items',
    ]);
    const apis = (await aws.apigateway.send(new GetRestApisCommand({}))).items ?? [];
    expect(apis.map((a) => a.name)).to.deep.equal(['item-api-prod-api']);
    const groups = (await aws.logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? [];
    expect(dev(groups.map((g) => g.logGroupName))).to.deep.equal([]);
    const alarms = await aws.cloudwatch.send(new DescribeAlarmsCommand({}));
    expect(dev(alarms.MetricAlarms?.map((a) => a.AlarmName))).to.deep.equal([]);
    expect((await aws.sns.send(new ListTopicsCommand({}))).Topics ?? []).to.deep.equal([]);
    const roles = (await aws.iam.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName) ?? [];
    expect(dev(roles)).to.deep.equal([]);
    expect((await aws.apigateway.send(new GetDomainNamesCommand({}))).items ?? []).to.deep.equal([]);
    expect(await aliasRecords(moto?.endpoint as string, hostedZoneId)).to.deep.equal({});
  });

  // The access modes, each on a fresh dev: moto has no UpdateMethod, so a switch between modes
  // (methods updated in place, as on AWS) is shown by its plan.
  const API_NAME = 'item-api-dev-api';
  /** The calls of the last recorded run, judged now against its role's policy as deployed. */
  const expectLastRunAllowed = async (label: string) => {
    const last = recorded[recorded.length - 1] as (typeof recorded)[number];
    const calls = judgedCalls([last.file], judgeAccount);
    const authorizations = calls.flatMap((c) => c.authorizations);
    const denied = refused(await rolePolicies(aws, `item-api-github-${last.role}`), authorizations);
    console.log(
      `      ${label} as ${last.role}: ${calls.length} calls, ${authorizations.length} authorizations, ${denied.length} refused`,
    );
    expect(calls.length).to.be.greaterThan(10);
    expect(denied).to.deep.equal([]);
  };
  const placeholderKey = 'a1b2c3d4e5';

  it('iam mode (named callers, a private endpoint, a source allow-list) deploys on a fresh dev and plans clean', async () => {
    setAccess(tree, IAM_DEPLOY);
    // The deploy role may set a resource policy once the bootstrap knows an environment has one.
    expectSuccess(run([cdktf, 'deploy', 'bootstrap', '--auto-approve'], withState, 'admin'));
    await awsAtBucket.s3.send(new DeleteBucketPolicyCommand({ Bucket: STATE_BUCKET }));
    expectSuccess(run([cdktf, 'deploy', 'dev', '--auto-approve'], withState, 'deploy-dev'));
    await rememberApiGatewayTags();
    await expectLastRunAllowed('iam mode: deploy of dev');
    const deployed = await deployedApi(aws, API_NAME);
    expect(deployed.api.endpointConfiguration?.types).to.deep.equal(['PRIVATE']);
    expect(await methodAccess(aws, deployed)).to.deep.equal([
      ['GET', 'AWS_IAM', false],
      ['HEAD', 'AWS_IAM', false],
      ['OPTIONS', 'NONE', false],
    ]);
    expect(await gatewayResponse(aws, deployed, 'MISSING_AUTHENTICATION_TOKEN')).to.deep.include({
      statusCode: '403',
      responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
    });
    const statements = policyStatements(deployed.api);
    expect(Object.keys(statements)).to.deep.equal([
      'AllowNamedCallers',
      'DenyOtherCallers',
      'AllowPreflight',
      'DenyOtherSources',
      'DenyOtherEndpoints',
    ]);
    const arn = `arn:aws:execute-api:${STACK_REGION}:${ACCOUNT.accountId}:${deployed.api.id}`;
    expect(statements.AllowNamedCallers).to.deep.include({
      Principal: { AWS: ['arn:aws:iam::123456789012:root', 'arn:aws:iam::444455556666:role/reader'] },
      Resource: [`${arn}/*/GET/*`, `${arn}/*/HEAD/*`],
    });
    expect(statements.DenyOtherSources?.Condition).to.deep.equal({
      NotIpAddress: { 'aws:VpcSourceIp': ['10.1.0.0/16'] },
    });
    expect(statements.DenyOtherEndpoints?.Condition).to.deep.equal({
      StringNotEquals: { 'aws:SourceVpce': [VPC_ENDPOINT] },
    });
    expect(realDrift(planDev())).to.deep.equal([]);
    await expectLastRunAllowed('iam mode: plan of dev');
  });

  it('switching dev from iam to api keys is planned in place: nothing replaced but the deployment', () => {
    setAccess(tree, keysDeploy(placeholderKey, { private: true }), IAM_DEPLOY);
    expectSuccess(run([cdktf, 'synth'], withState));
    const changes = changesOf(planDev('admin'), { ignoreEmulatorGaps: true });
    const types = (action: string) =>
      [...new Set(changes.filter((c) => c.actions === action).map((c) => c.address.split('.')[0]))].sort();
    expect(types('create,delete')).to.deep.equal(['aws_api_gateway_deployment']);
    expect(types('delete')).to.deep.equal([]);
    expect(types('create')).to.deep.equal([
      'aws_api_gateway_api_key',
      'aws_api_gateway_usage_plan',
      'aws_api_gateway_usage_plan_key',
    ]);
    expect(types('update')).to.include.members([
      'aws_api_gateway_method',
      'aws_api_gateway_rest_api_policy',
      'aws_api_gateway_gateway_response',
    ]);
  });

  it('api-key mode deploys on a fresh dev once the bootstrap lets CI manage usage plans, keys in state, plans clean', async () => {
    expectSuccess(run([cdktf, 'destroy', 'dev', '--auto-approve'], withState, 'deploy-dev'));
    const attached = await aws.apigateway.send(
      new CreateApiKeyCommand({ name: 'globex-own-key', enabled: true }),
    );
    setAccess(tree, keysDeploy(attached.id as string), keysDeploy(placeholderKey, { private: true }));
    expectSuccess(run([cdktf, 'deploy', 'bootstrap', '--auto-approve'], withState, 'admin'));
    await awsAtBucket.s3.send(new DeleteBucketPolicyCommand({ Bucket: STATE_BUCKET }));
    expectSuccess(run([cdktf, 'deploy', 'dev', '--auto-approve'], withState, 'deploy-dev'));
    await rememberApiGatewayTags();
    await expectLastRunAllowed('api-key mode: deploy of dev');

    const deployed = await deployedApi(aws, API_NAME);
    expect(await methodAccess(aws, deployed)).to.deep.equal([
      ['GET', 'NONE', true],
      ['HEAD', 'NONE', true],
      ['OPTIONS', 'NONE', false],
    ]);
    const [plan] = (await aws.apigateway.send(new GetUsagePlansCommand({}))).items ?? [];
    expect(plan).to.deep.include({
      name: `${API_NAME}-partner`,
      apiStages: [{ apiId: deployed.api.id, stage: 'v1' }],
      throttle: { rateLimit: 10, burstLimit: 20 },
    });
    expect(plan?.quota).to.deep.include({ limit: 1000, period: 'MONTH' });
    const [generated] =
      (await aws.apigateway.send(new GetApiKeysCommand({ nameQuery: `${API_NAME}-acme` }))).items ?? [];
    expect(generated?.enabled).to.equal(true);
    const keys =
      (await aws.apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: plan?.id }))).items ?? [];
    expect(keys.map((k) => k.id).sort()).to.deep.equal([generated?.id, attached.id].sort());
    const outputs = JSON.parse(
      runTerraform({ terraform: 'terraform', cwd: stackDir('dev'), env: { ...baseEnv, ...withState } }, [
        'output',
        '-json',
      ]),
    );
    expect(outputs.api_key_ids.value).to.deep.equal({ acme: generated?.id, globex: attached.id });
    expect(policyStatements(deployed.api).DenyOtherSources?.Condition).to.deep.equal({
      NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] },
    });

    // Both keys' values are in the state object the plan role may read (docs/access.md).
    const state = await awsAtBucket.s3.send(
      new GetObjectCommand({ Bucket: STATE_BUCKET, Key: 'item-api/dev.tfstate' }),
    );
    const text = (await state.Body?.transformToString()) ?? '';
    for (const id of [generated?.id, attached.id]) {
      const { value } = await aws.apigateway.send(new GetApiKeyCommand({ apiKey: id, includeValue: true }));
      expect(text, `the value of key ${id}`).to.include(value as string);
    }
    expect(realDrift(planDev())).to.deep.equal([]);
    await expectLastRunAllowed('api-key mode: plan of dev');
  });

  it('npx cdktf destroy dev removes the usage plan and the generated key, and leaves the attached key alone', async () => {
    expectSuccess(run([cdktf, 'destroy', 'dev', '--auto-approve'], withState, 'deploy-dev'));
    await expectLastRunAllowed('api-key mode: destroy of dev');
    expect((await aws.apigateway.send(new GetUsagePlansCommand({}))).items ?? []).to.deep.equal([]);
    const keys = (await aws.apigateway.send(new GetApiKeysCommand({}))).items ?? [];
    expect(keys.map((k) => k.name)).to.deep.equal(['globex-own-key']);
  });

  it('the bootstrap updates in place (trust of a renamed repository) and cdktf destroy refuses its state bucket', async () => {
    if (bucketPolicy !== undefined) {
      await awsAtBucket.s3.send(new PutBucketPolicyCommand({ Bucket: STATE_BUCKET, Policy: bucketPolicy }));
    }
    const renamed = { ...withState, GITHUB_REPO: 'item-api-renamed' };
    expectSuccess(run([cdktf, 'synth'], renamed));
    const changes = changesOf(planJson(stackDir('bootstrap'), terraformEnv(renamed, 'admin')));
    expect(changes).to.deep.equal([
      { address: 'aws_iam_role.deploy-dev-role', actions: 'update' },
      { address: 'aws_iam_role.deploy-prod-role', actions: 'update' },
      { address: 'aws_iam_role.plan-role', actions: 'update' },
    ]);
    applySavedPlan(stackDir('bootstrap'), terraformEnv(renamed, 'admin'));

    const result = run([cdktf, 'destroy', 'bootstrap', '--auto-approve'], renamed);
    expect(result.status, result.output.slice(-6000)).not.to.equal(0);
    // Why it refused, from Terraform itself: cdktf does not always print a failed run's error
    // before it exits (seen once on a loaded machine: exit 1, and only the app's build line).
    const destroyPlan = runCommand(
      'terraform',
      [`-chdir=${stackDir('bootstrap')}`, 'plan', '-destroy', '-input=false', '-no-color', '-lock=false'],
      { cwd: tree, env: { ...baseEnv, ...renamed } },
    );
    expect(destroyPlan.status).not.to.equal(0);
    expect(destroyPlan.output, destroyPlan.output.slice(-6000))
      .to.include('Instance cannot be destroyed')
      .and.include('aws_s3_bucket.state-bucket');
    expect(
      (await awsAtBucket.s3.send(new GetBucketVersioningCommand({ Bucket: STATE_BUCKET }))).Status,
    ).to.equal('Enabled');
  });

  describe('least privilege, from the recorded calls', () => {
    const policyOf = (role: Exclude<Role, 'admin'>) => rolePolicies(aws, `item-api-github-${role}`);
    const callsOf = (role: Role) =>
      judgedCalls(
        recorded.filter((r) => r.role === role).map((r) => r.file),
        judgeAccount,
      );
    const authorizationsOf = (calls: JudgedCall[]) => calls.flatMap((c) => c.authorizations);

    const what: Record<Exclude<Role, 'admin'>, string> = {
      'deploy-dev': "dev's deploys, update, replacement and destroy",
      'deploy-prod': "prod's deploy",
      plan: 'plans (refresh only)',
    };
    for (const role of [...DEPLOY_ROLES, 'plan'] as const) {
      it(`every call of ${what[role]} is allowed by the ${role} role's policy`, async () => {
        const documents = await policyOf(role);
        const authorizations = authorizationsOf(callsOf(role));
        const actions = new Set(authorizations.map((a) => a.action));
        console.log(
          `      ${role} role: ${authorizations.length} authorizations, ${actions.size} distinct actions`,
        );
        expect(actions.size).to.be.greaterThan(5);
        expect([...new Set(refused(documents, authorizations))]).to.deep.equal([]);
      });

      it(`${role} role: the check fails for a policy trimmed of any one recorded action`, async () => {
        const documents = await policyOf(role);
        const authorizations = authorizationsOf(callsOf(role));
        for (const action of new Set(authorizations.map((a) => a.action))) {
          expect(refused(withoutGrantsFor(documents, action), authorizations), action).not.to.deep.equal([]);
        }
      });
    }

    for (const [own, other] of [
      ['dev', 'prod'],
      ['prod', 'dev'],
    ] as const) {
      it(`every call that changes a ${own} resource or ${own}'s state is denied for ${other}'s deploy role`, async () => {
        const otherPolicy = await policyOf(`deploy-${other}`);
        const changing = callsOf(`deploy-${own}`).filter((call) => changes(call, own));
        const shared = changing.filter(isSharedAcrossEnvironments);
        const checked = changing.filter((call) => !isSharedAcrossEnvironments(call));
        const allowed = checked.filter((call) => refused(otherPolicy, call.authorizations).length === 0);
        console.log(
          `      ${own}'s changing calls as ${other}'s role: ${checked.length - allowed.length} of ${checked.length} denied` +
            `${shared.length > 0 ? `; ${shared.length} SNS subscription call(s) not separable by IAM` : ''}`,
        );
        expect(checked.length).to.be.greaterThan(own === 'dev' ? 40 : 15);
        expect(allowed.map(describeCall)).to.deep.equal([]);
        // The same calls under the role's own policy all go through: the denials are the other
        // role's policy, not calls that could never succeed.
        const ownPolicy = await policyOf(`deploy-${own}`);
        expect(
          checked.filter((call) => refused(ownPolicy, call.authorizations).length > 0).map(describeCall),
        ).to.deep.equal([]);
      });
    }

    /** The shared role's policy (BOOTSTRAP_SHARED_DEPLOY_ROLE=1), rendered for this account. */
    const sharedRolePolicy = () => [
      documentOf(
        deployRoleStatements({
          partition: ACCOUNT.partition,
          regions: [STACK_REGION],
          hostedZoneIds: [hostedZoneId],
          accountId: ACCOUNT.accountId,
          namePrefix: 'item-api',
          environments: ['dev', 'prod'],
          // As the bootstrap renders it once dev has API keys and a resource policy (the access runs).
          apiKeyEnvironments: ['dev'],
          resourcePolicyEnvironments: ['dev'],
          stateBucketArn: `arn:aws:s3:::${STATE_BUCKET}`,
          oidcProviderArn: `arn:aws:iam::${ACCOUNT.accountId}:oidc-provider/token.actions.githubusercontent.com`,
        }),
      ),
    ];

    it("the cross-environment check notices a role that reaches both environments (the shared role's policy)", () => {
      const shared = sharedRolePolicy();
      const changing = callsOf('deploy-dev').filter(
        (call) => changes(call, 'dev') && !isSharedAcrossEnvironments(call),
      );
      const notAllowed = changing.filter((call) => refused(shared, call.authorizations).length > 0);
      expect(changing.length).to.be.greaterThan(40);
      expect(notAllowed.map(describeCall)).to.deep.equal([]);
    });

    it('the plan role cannot do what the deploys did: it writes nothing, not even a state lock', async () => {
      const writes = authorizationsOf([...callsOf('deploy-dev'), ...callsOf('deploy-prod')]).filter((a) =>
        WRITE_ACTION.test(a.action),
      );
      const plan = await policyOf('plan');
      expect(writes.length).to.be.greaterThan(10);
      expect(writes.filter((a) => evaluate(plan, a) === 'allowed').map((a) => a.action)).to.deep.equal([]);
    });
  });
});
