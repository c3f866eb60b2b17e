import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Construct } from 'constructs';
import { HANDLER_DIST_DIR } from '#handler/bundle';
import { GET_ITEM_FUNCTION_DEFAULTS, GetItemFunction } from '../../infra/get-item-function';
import { ITEMS_TABLE_DEFAULTS, ItemsTable } from '../../infra/items-table';
import { REST_API_DEFAULTS, RestApi } from '../../infra/rest-api';
import { TerraformOutput, Testing } from '../../infra/toolchain';

function feature(scope: Construct, overrides: { bundleDir?: string; timeoutSeconds?: number } = {}) {
  const table = new ItemsTable(scope, 'table', { tableName: 'things' });
  const fn = new GetItemFunction(scope, 'fn', {
    table,
    functionName: 'things-get',
    bundleDir: overrides.bundleDir ?? HANDLER_DIST_DIR,
    timeoutSeconds: overrides.timeoutSeconds,
  });
  return { table, fn, api: new RestApi(scope, 'api', { handler: fn, apiName: 'things-api' }) };
}

describe('constructs on their own', () => {
  it('default to their documented defaults: a protected table, 512 MB / 6 s / 30-day logs, a v1 stage at 100/200', () => {
    const json = Testing.synthScope((scope) => {
      feature(scope);
    });
    const has = (type: string, properties: Record<string, unknown>) =>
      expect(
        Testing.toHaveResourceWithProperties(json, type, properties),
        `${type} ${JSON.stringify(properties)}`,
      ).to.be.true;
    const fn = GET_ITEM_FUNCTION_DEFAULTS;
    const api = REST_API_DEFAULTS;
    has('aws_dynamodb_table', {
      name: 'things',
      deletion_protection_enabled: ITEMS_TABLE_DEFAULTS.deletionProtection,
    });
    has('aws_lambda_function', { memory_size: fn.memoryMb, timeout: fn.timeoutSeconds });
    has('aws_cloudwatch_log_group', {
      name: '/aws/lambda/things-get',
      retention_in_days: fn.logRetentionDays,
    });
    has('aws_cloudwatch_log_group', {
      name: `/aws/apigateway/things-api/${api.stageName}/access`,
      retention_in_days: api.accessLogRetentionDays,
    });
    has('aws_api_gateway_stage', { stage_name: api.stageName });
    has('aws_api_gateway_method_settings', {
      settings: {
        throttling_rate_limit: api.throttling.rateLimit,
        throttling_burst_limit: api.throttling.burstLimit,
      },
    });
    // The documented defaults, spelled out once more here on purpose: a changed default is a
    // change to every environment that does not set it, so it should be a visible one.
    expect([fn.memoryMb, fn.timeoutSeconds, fn.logRetentionDays, api.stageName]).to.deep.equal([
      512,
      6,
      30,
      'v1',
    ]);
  });

  it('expose their attributes, so wiring never reaches into their resources', () => {
    let name = '';
    const json = Testing.synthScope((scope) => {
      const { table, fn, api } = feature(scope);
      name = fn.name;
      const attributes: Record<string, [string, string]> = {
        tableName: [table.tableName, table.table.name],
        tableArn: [table.tableArn, table.table.arn],
        streamArn: [table.streamArn, table.table.streamArn],
        functionName: [fn.functionName, fn.lambda.functionName],
        functionArn: [fn.functionArn, fn.lambda.arn],
        apiId: [api.apiId, api.api.id],
        apiName: [api.apiName, api.api.name],
        stageName: [api.stageName, api.stage.stageName],
        url: [api.url, api.invokeUrl],
      };
      for (const [key, [attribute, resource]] of Object.entries(attributes)) {
        new TerraformOutput(scope, `${key}-attribute`, { value: attribute });
        new TerraformOutput(scope, `${key}-resource`, { value: resource });
      }
    });
    const outputs = (JSON.parse(json) as { output: Record<string, { value: string }> }).output;
    const keys = Object.keys(outputs).filter((key) => key.endsWith('-attribute'));
    expect(keys).to.have.lengthOf(9);
    for (const key of keys) {
      expect(outputs[key]?.value, key).to.equal(outputs[key.replace('-attribute', '-resource')]?.value);
    }
    expect(name, 'the configured name, known at synth time').to.equal('things-get');
  });

  it('expose their resources for tests and extension', () => {
    Testing.synthScope((scope) => {
      const { table, fn, api } = feature(scope);
      expect(table.table.terraformResourceType).to.equal('aws_dynamodb_table');
      expect(fn.lambda.terraformResourceType).to.equal('aws_lambda_function');
      expect(fn.role.terraformResourceType).to.equal('aws_iam_role');
      expect(api.stage.terraformResourceType).to.equal('aws_api_gateway_stage');
      expect(api.invokeUrl).to.be.a('string');
    });
  });

  it('tell the user to build when the bundle is missing', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-bundle-'));
    try {
      expect(() =>
        Testing.synthScope((scope) => {
          feature(scope, { bundleDir: empty });
        }),
      ).to.throw(/- GetItemFunction\.bundleDir has no index\.mjs.*npm run build/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  const INVALID: readonly [string, (scope: Construct) => void, RegExp][] = [
    [
      'a table name with spaces',
      (s) => new ItemsTable(s, 't', { tableName: 'my table' }),
      /^- ItemsTable\.tableName/m,
    ],
    [
      'a function timeout inside the handler time budget',
      (s) => feature(s, { timeoutSeconds: 3 }),
      /^- GetItemFunction\.timeoutSeconds .*3000 ms/m,
    ],
    [
      'a function name too long for its role',
      (s) =>
        new GetItemFunction(s, 'f', {
          table: new ItemsTable(s, 't', { tableName: 'things' }),
          functionName: 'x'.repeat(60),
          bundleDir: HANDLER_DIST_DIR,
        }),
      /^- GetItemFunction\.functionName/m,
    ],
    [
      'an access log retention CloudWatch rejects',
      (s) => new RestApi(s, 'a', { handler: feature(s).fn, apiName: 'other', accessLogRetentionDays: 2 }),
      /^- RestApi\.accessLogRetentionDays/m,
    ],
    [
      'a negative burst',
      (s) =>
        new RestApi(s, 'a', {
          handler: feature(s).fn,
          apiName: 'other',
          throttling: { rateLimit: 10, burstLimit: -1 },
        }),
      /^- RestApi\.throttling\.burstLimit/m,
    ],
  ];
  for (const [title, build, message] of INVALID) {
    it(`reject ${title}`, () => {
      expect(() => Testing.synthScope(build)).to.throw(message);
    });
  }
});
