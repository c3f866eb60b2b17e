import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Testing } from 'cdktf';
import { expect } from 'chai';
import type { Construct } from 'constructs';
import { GetItemFunction } from '../../infra/get-item-function';
import { ItemsTable } from '../../infra/items-table';
import { RestApi } from '../../infra/rest-api';
import { HANDLER_DIST_DIR } from '../../scripts/lib/paths';

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
  it('default to a protected table, 512 MB / 6 s / 30-day logs, and a v1 stage throttled at 100/200', () => {
    const json = Testing.synthScope((scope) => {
      feature(scope);
    });
    const has = (type: string, properties: Record<string, unknown>) =>
      expect(
        Testing.toHaveResourceWithProperties(json, type, properties),
        `${type} ${JSON.stringify(properties)}`,
      ).to.be.true;
    has('aws_dynamodb_table', { name: 'things', deletion_protection_enabled: true });
    has('aws_lambda_function', { memory_size: 512, timeout: 6 });
    has('aws_cloudwatch_log_group', { name: '/aws/lambda/things-get', retention_in_days: 30 });
    has('aws_cloudwatch_log_group', { name: '/aws/apigateway/things-api/v1/access', retention_in_days: 30 });
    has('aws_api_gateway_stage', { stage_name: 'v1' });
    has('aws_api_gateway_method_settings', {
      settings: { throttling_rate_limit: 100, throttling_burst_limit: 200 },
    });
  });

  it('expose their resources for wiring', () => {
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
      ).to.throw(/GetItemFunction\.bundleDir has no index\.mjs.*npm run build/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  const INVALID: readonly [string, (scope: Construct) => void, RegExp][] = [
    [
      'a table name with spaces',
      (s) => new ItemsTable(s, 't', { tableName: 'my table' }),
      /^ItemsTable\.tableName/,
    ],
    [
      'a function timeout inside the handler time budget',
      (s) => feature(s, { timeoutSeconds: 3 }),
      /^GetItemFunction\.timeoutSeconds .*3000 ms/,
    ],
    [
      'a function name too long for its role',
      (s) =>
        new GetItemFunction(s, 'f', {
          table: new ItemsTable(s, 't', { tableName: 'things' }),
          functionName: 'x'.repeat(60),
          bundleDir: HANDLER_DIST_DIR,
        }),
      /^GetItemFunction\.functionName/,
    ],
    [
      'an access log retention CloudWatch rejects',
      (s) => new RestApi(s, 'a', { handler: feature(s).fn, apiName: 'other', accessLogRetentionDays: 2 }),
      /^RestApi\.accessLogRetentionDays/,
    ],
    [
      'a negative burst',
      (s) => new RestApi(s, 'a', { handler: feature(s).fn, apiName: 'other', throttlingBurstLimit: -1 }),
      /^RestApi\.throttling burst/,
    ],
  ];
  for (const [title, build, message] of INVALID) {
    it(`reject ${title}`, () => {
      expect(() => Testing.synthScope(build)).to.throw(message);
    });
  }
});
