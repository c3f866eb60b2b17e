import { expect } from 'chai';
import { ITEM_KEY_SCHEMA } from '#handler/src/key-schema';
import { ITEM_METHODS } from '#shared/response-policy';
import { LANE } from '#shared/toolchain';
import {
  ACCESS_LOG_FORMAT,
  GATEWAY_ERROR_BODY,
  GATEWAY_ERROR_TYPES,
  NOT_FOUND_BODY,
} from '../../infra/api-definition';
import { LOCAL_STATE_GUARD } from '../../infra/state-backend';
import {
  effective,
  environment,
  expectResource,
  expectResourceExactly,
  named,
  only,
  ref,
  resourcesOf,
  type Synth,
  synthStack,
} from './synth';

type Row = readonly [title: string, type: string, properties: (s: Synth) => Record<string, unknown>];

const dev = environment('dev');
const { partitionKey, sortKey } = ITEM_KEY_SCHEMA;
const lambdaLogs = named('/aws/lambda/');

/** What the dev stack must contain; each row is also mutation-checked below. */
const ROWS: readonly Row[] = [
  [
    'table: keys from the shared key schema, on-demand, stream, PITR, SSE, deletion protection from config',
    'aws_dynamodb_table',
    () => ({
      name: 'item-api-dev-items',
      hash_key: partitionKey.name,
      range_key: sortKey.name,
      attribute: [
        { name: partitionKey.name, type: partitionKey.type },
        { name: sortKey.name, type: sortKey.type },
      ],
      billing_mode: 'PAY_PER_REQUEST',
      stream_enabled: true,
      stream_view_type: 'NEW_IMAGE',
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: false,
    }),
  ],
  [
    'function: nodejs22.x on arm64, index.handler, 512 MB, 6 s, X-Ray, JSON logs into its own group, TABLE_NAME',
    'aws_lambda_function',
    (s) => ({
      function_name: 'item-api-dev-get-item',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      memory_size: 512,
      timeout: 6,
      role: ref(s, 'aws_iam_role', 'arn'),
      tracing_config: { mode: 'Active' },
      logging_config: {
        log_format: 'JSON',
        log_group: ref(s, 'aws_cloudwatch_log_group', 'name', lambdaLogs),
      },
      environment: { variables: { TABLE_NAME: ref(s, 'aws_dynamodb_table', 'name') } },
      depends_on: [
        only(s, 'aws_cloudwatch_log_group', lambdaLogs).address,
        only(s, 'aws_iam_role_policy').address,
      ],
    }),
  ],
  [
    'function log group: /aws/lambda/<name> with the environment retention',
    'aws_cloudwatch_log_group',
    () => ({ name: '/aws/lambda/item-api-dev-get-item', retention_in_days: effective(dev).logRetentionDays }),
  ],
  [
    'access log group: with the environment retention',
    'aws_cloudwatch_log_group',
    () => ({
      name: '/aws/apigateway/item-api-dev-api/v1/access',
      retention_in_days: effective(dev).logRetentionDays,
    }),
  ],
  [
    'role: named after the function, no managed policies',
    'aws_iam_role',
    () => ({ name: 'item-api-dev-get-item-role' }),
  ],
  [
    'REST API: regional',
    'aws_api_gateway_rest_api',
    () => ({ name: 'item-api-dev-api', endpoint_configuration: { types: ['REGIONAL'] } }),
  ],
  [
    'resource: /{id} under the root',
    'aws_api_gateway_resource',
    (s) => ({ path_part: '{id}', parent_id: ref(s, 'aws_api_gateway_rest_api', 'root_resource_id') }),
  ],
  [
    'request validator: validates parameters',
    'aws_api_gateway_request_validator',
    (s) => ({ rest_api_id: ref(s, 'aws_api_gateway_rest_api', 'id'), validate_request_parameters: true }),
  ],
  ...ITEM_METHODS.flatMap((httpMethod): Row[] => [
    [
      `method: ${httpMethod} /{id}, id required and validated`,
      'aws_api_gateway_method',
      (s) => ({
        http_method: httpMethod,
        authorization: 'NONE',
        resource_id: ref(s, 'aws_api_gateway_resource', 'id'),
        request_parameters: { 'method.request.path.id': true },
        request_validator_id: ref(s, 'aws_api_gateway_request_validator', 'id'),
      }),
    ],
    [
      `integration of ${httpMethod}: AWS_PROXY, POST to the function invoke ARN, built from the API and the function name`,
      'aws_api_gateway_integration',
      (s) => {
        const part = (i: number) =>
          `\${element(split(":", ${only(s, 'aws_api_gateway_rest_api').address}.execution_arn), ${i})}`;
        return {
          type: 'AWS_PROXY',
          integration_http_method: 'POST',
          http_method: ref(s, 'aws_api_gateway_method', 'http_method', (m) => m.http_method === httpMethod),
          resource_id: ref(s, 'aws_api_gateway_resource', 'id'),
          uri: `arn:${part(1)}:apigateway:${part(3)}:lambda:path/2015-03-31/functions/arn:${part(1)}:lambda:${part(3)}:${part(4)}:function:item-api-dev-get-item/invocations`,
        };
      },
    ],
    [
      `invoke permission: API Gateway, this API, this stage, ${httpMethod} only`,
      'aws_lambda_permission',
      (s) => ({
        action: 'lambda:InvokeFunction',
        principal: 'apigateway.amazonaws.com',
        function_name: ref(s, 'aws_lambda_function', 'function_name'),
        source_arn: `${ref(s, 'aws_api_gateway_rest_api', 'execution_arn')}/v1/${httpMethod}/*`,
      }),
    ],
  ]),
  [
    'deployment: created before the old one is destroyed',
    'aws_api_gateway_deployment',
    (s) => ({
      rest_api_id: ref(s, 'aws_api_gateway_rest_api', 'id'),
      lifecycle: { create_before_destroy: true },
    }),
  ],
  [
    'stage: X-Ray and JSON access logs to the access log group',
    'aws_api_gateway_stage',
    (s) => ({
      stage_name: 'v1',
      deployment_id: ref(s, 'aws_api_gateway_deployment', 'id'),
      xray_tracing_enabled: true,
      access_log_settings: {
        destination_arn: ref(s, 'aws_cloudwatch_log_group', 'arn', named('/aws/apigateway/')),
        format: ACCESS_LOG_FORMAT,
      },
    }),
  ],
  [
    'method settings: */* throttled from config, metrics on, data trace and execution logging off',
    'aws_api_gateway_method_settings',
    (s) => ({
      method_path: '*/*',
      stage_name: ref(s, 'aws_api_gateway_stage', 'stage_name'),
      settings: {
        throttling_rate_limit: effective(dev).throttling.rateLimit,
        throttling_burst_limit: effective(dev).throttling.burstLimit,
        metrics_enabled: true,
        data_trace_enabled: false,
        logging_level: 'OFF',
      },
    }),
  ],
  [
    'gateway response: unknown routes are a JSON 404',
    'aws_api_gateway_gateway_response',
    () => ({
      response_type: 'MISSING_AUTHENTICATION_TOKEN',
      status_code: '404',
      response_templates: { 'application/json': NOT_FOUND_BODY },
      response_parameters: { 'gatewayresponse.header.Cache-Control': "'no-store'" },
    }),
  ],
  ...GATEWAY_ERROR_TYPES.map(
    (responseType): Row => [
      `gateway response ${responseType}: AWS's default body, never cached`,
      'aws_api_gateway_gateway_response',
      (s) => ({
        rest_api_id: ref(s, 'aws_api_gateway_rest_api', 'id'),
        response_type: responseType,
        response_templates: { 'application/json': GATEWAY_ERROR_BODY },
        response_parameters: { 'gatewayresponse.header.Cache-Control': "'no-store'" },
      }),
    ],
  ),
];

describe('EnvironmentStack synthesized for dev', () => {
  let synth: Synth;
  before(() => {
    synth = synthStack(dev);
  });

  for (const [title, type, properties] of ROWS) {
    it(title, () => {
      const expected = properties(synth);
      expectResourceExactly(synth, type, expected);
    });
  }
});

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
}

function statements(policyJson: unknown): Statement[] {
  const doc = JSON.parse(String(policyJson)) as { Statement: Statement[] };
  return doc.Statement;
}

const list = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());

describe('EnvironmentStack least privilege', () => {
  let synth: Synth;
  before(() => {
    synth = synthStack(dev);
  });

  it('lets only lambda.amazonaws.com assume the role', () => {
    expect(statements(only(synth, 'aws_iam_role').body.assume_role_policy)).to.deep.equal([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
  });

  it('allows exactly GetItem on the table, writes to its own log group, and X-Ray writes', () => {
    const policy = only(synth, 'aws_iam_role_policy').body;
    expect(policy.role).to.equal(ref(synth, 'aws_iam_role', 'id'));
    expect(statements(policy.policy)).to.deep.equal([
      {
        Sid: 'ReadItems',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem'],
        Resource: [ref(synth, 'aws_dynamodb_table', 'arn')],
      },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [`${ref(synth, 'aws_cloudwatch_log_group', 'arn', lambdaLogs)}:*`],
      },
      {
        Sid: 'WriteTraces',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: ['*'],
      },
    ]);
  });

  it('has no wildcard action anywhere and a wildcard resource only for X-Ray', () => {
    for (const [name, body] of Object.entries(synth.config.resource.aws_iam_role_policy ?? {})) {
      for (const statement of statements(body.policy)) {
        for (const action of list(statement.Action)) expect(action, `${name} action`).not.to.include('*');
        if (list(statement.Resource).some((r) => r.includes('*') && !r.endsWith(':*'))) {
          expect(
            list(statement.Action).every((a) => a.startsWith('xray:')),
            `${name} wildcard resource`,
          ).to.equal(true);
        }
      }
    }
  });

  it('attaches no managed policy and leaves the region-wide API Gateway account setting alone', () => {
    expect(only(synth, 'aws_iam_role').body).not.to.have.any.keys('managed_policy_arns', 'inline_policy');
    for (const type of [
      'aws_iam_role_policy_attachment',
      'aws_iam_policy_attachment',
      'aws_api_gateway_account',
    ]) {
      expect(synth.config.resource, type).not.to.have.property(type);
    }
  });
});

describe('EnvironmentStack wiring and configuration', () => {
  it('gives the function only TABLE_NAME and no reserved concurrency by default', () => {
    const synth = synthStack(dev);
    const fn = only(synth, 'aws_lambda_function').body;
    expect(fn.environment).to.deep.equal({
      variables: { TABLE_NAME: ref(synth, 'aws_dynamodb_table', 'name') },
    });
    expect(fn).not.to.have.property('reserved_concurrent_executions');
  });

  it('passes memory, timeout, CORS origins, caching and reserved concurrency from the config', () => {
    const synth = synthStack({
      ...dev,
      corsAllowOrigins: ['https://app.example.com', 'http://localhost:5173'],
      fn: {
        memoryMb: 1024,
        timeoutSeconds: 9,
        cacheControl: { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 30 },
        reservedConcurrency: 20,
      },
    });
    expectResource(synth, 'aws_lambda_function', {
      memory_size: 1024,
      timeout: 9,
      reserved_concurrent_executions: 20,
      environment: {
        variables: {
          TABLE_NAME: ref(synth, 'aws_dynamodb_table', 'name'),
          CORS_ALLOW_ORIGIN: 'https://app.example.com,http://localhost:5173',
          CACHE_CONTROL: 'max-age=60, stale-while-revalidate=30',
        },
      },
    });
  });

  it('packages the built bundle as a zip asset and hashes its content', () => {
    const fn = only(synthStack(dev), 'aws_lambda_function').body;
    expect(fn.filename).to.match(/^assets\/[^/]+\/([0-9A-F]{32})\/archive\.zip$/);
    const [, hash] = /\/([0-9A-F]{32})\//.exec(String(fn.filename)) ?? [];
    expect(fn.source_code_hash).to.equal(hash);
  });

  it('redeploys the API whenever any part of its definition changes', () => {
    const synth = synthStack(dev);
    const trigger = String(
      (only(synth, 'aws_api_gateway_deployment').body.triggers as Record<string, unknown>).redeployment,
    );
    expect(trigger).to.match(/^\$\{sha1\(jsonencode\(\["[0-9a-f]{64}", /);
    for (const type of [
      'aws_api_gateway_resource',
      'aws_api_gateway_request_validator',
      'aws_api_gateway_method',
      'aws_api_gateway_integration',
      'aws_api_gateway_gateway_response',
    ]) {
      const names = Object.keys(resourcesOf(synth, type));
      expect(names.length, type).to.be.greaterThan(0);
      for (const name of names) expect(trigger, type).to.include(`${type}.${name}.id`);
    }
    for (const name of Object.keys(resourcesOf(synth, 'aws_api_gateway_integration'))) {
      expect(trigger, 'the integration target').to.include(`aws_api_gateway_integration.${name}.uri`);
    }
  });

  it('outputs the invoke URL (as the API URL and as the execute-api URL), table name, stream ARN and function name', () => {
    const synth = synthStack(dev);
    const values = Object.fromEntries(Object.entries(synth.config.output).map(([k, v]) => [k, v.value]));
    expect(values).to.deep.equal({
      api_url: ref(synth, 'aws_api_gateway_stage', 'invoke_url'),
      execute_api_url: ref(synth, 'aws_api_gateway_stage', 'invoke_url'),
      table_name: ref(synth, 'aws_dynamodb_table', 'name'),
      table_stream_arn: ref(synth, 'aws_dynamodb_table', 'stream_arn'),
      function_name: ref(synth, 'aws_lambda_function', 'function_name'),
    });
  });

  it('configures the provider with region and tags only, never credentials or skip flags', () => {
    const synth = synthStack(dev);
    expect(synth.config.provider.aws).to.deep.equal([
      {
        region: dev.region,
        default_tags: [{ tags: { project: 'item-api', stack: 'dev', 'managed-by': 'cdktf' } }],
      },
    ]);
  });

  it(`pins hashicorp/aws ${LANE.awsProvider}, matching ${LANE.awsBindings.name} ${LANE.awsBindings.version} (the toolchain lane)`, () => {
    expect(synthStack(dev).config.terraform.required_providers).to.deep.equal({
      aws: { source: 'aws', version: LANE.awsProvider },
    });
  });

  it('keeps state in a local file per stack in the project root by default', () => {
    expect(synthStack(dev).config.terraform.backend).to.deep.equal({
      local: { path: '../../../terraform.dev.tfstate' },
    });
  });

  it('refuses to plan with local state that was not asked for, naming both ways out', () => {
    const variables = (onPurpose: boolean) =>
      (synthStack(dev, { kind: 'local', onPurpose }).config as { variable?: Record<string, unknown> })
        .variable ?? {};
    const guard = variables(false)[LOCAL_STATE_GUARD] as {
      default: boolean;
      validation: { condition: string; error_message: string }[];
    };
    expect(guard.default).to.equal(false);
    expect(guard.validation).to.have.lengthOf(1);
    expect(guard.validation[0]?.condition).to.equal(`\${var.${LOCAL_STATE_GUARD}}`);
    expect(guard.validation[0]?.error_message)
      .to.include('TF_STATE_BUCKET')
      .and.include('ITEM_API_LOCAL_STATE=1');
    expect(variables(true)).not.to.have.property(LOCAL_STATE_GUARD);
    // The provider waits for the guard, so the refusal comes before any plan is rendered.
    const guarded = synthStack(dev, { kind: 'local', onPurpose: false }).config.provider.aws?.[0];
    expect(guarded?.region).to.equal(`\${var.${LOCAL_STATE_GUARD} ? "${dev.region}" : "${dev.region}"}`);
    const s3 = synthStack(dev, { kind: 's3', bucket: 'acme-tf-state', region: undefined }).config as {
      variable?: unknown;
    };
    expect(s3.variable).to.equal(undefined);
  });

  it('keeps state in S3, encrypted and lock-file locked, one key per stack, when a bucket is named', () => {
    const backend = (bucketRegion: string | undefined) =>
      synthStack(dev, { kind: 's3', bucket: 'acme-tf-state', region: bucketRegion }).config.terraform.backend;
    expect(backend('eu-central-1')).to.deep.equal({
      s3: {
        bucket: 'acme-tf-state',
        key: 'item-api/dev.tfstate',
        region: 'eu-central-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(backend(undefined)).to.have.nested.property('s3.region', dev.region);
  });

  it('protects the prod table from deletion and names every prod resource apart from dev', () => {
    const prod = synthStack(environment('prod'));
    expectResource(prod, 'aws_dynamodb_table', {
      name: 'item-api-prod-items',
      deletion_protection_enabled: true,
    });
    // The names that must be unique per account and region (others, like the validator's, are scoped to their parent).
    const uniqueNameTypes = [
      'aws_dynamodb_table',
      'aws_lambda_function',
      'aws_iam_role',
      'aws_cloudwatch_log_group',
      'aws_api_gateway_rest_api',
    ];
    const names = (s: Synth) =>
      uniqueNameTypes.flatMap((type) =>
        Object.values(resourcesOf(s, type)).map((body) => String(body.name ?? body.function_name)),
      );
    const devNames = new Set(names(synthStack(dev)));
    for (const name of names(prod)) expect(devNames.has(name), name).to.equal(false);
  });
});
