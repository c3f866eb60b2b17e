import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { HANDLER_DIST_DIR } from '#handler/bundle';
import type { EnvironmentConfig } from '../../infra/config';
import { EnvironmentStack } from '../../infra/environment-stack';
import { synthWithProviderLock } from '../../infra/terraform-settings';
import { App } from '../../infra/toolchain';
import { findTerraform } from '../../scripts/lib/find-terraform';
import { pluginDirFromEnv } from '../../scripts/lib/offline-plan';
import { planStack } from '../../scripts/lib/plan-stack';
import { synthesizedStacks } from '../../scripts/lib/synthesized-stacks';
import { readPlan } from '../../scripts/plan-summary';
import { IAM_ACCESS, KEY_ACCESS, NETWORK_LIMITS } from '../support/access-settings';
import { REPO_ROOT } from '../support/repo-root';
import { environment } from './synth';

interface Change {
  address: string;
  type: string;
  mode: string;
  change: { actions: string[]; after: Record<string, unknown>; after_unknown: Record<string, unknown> };
}

/**
 * An offline `terraform validate` and `plan` of dev in the non-public modes, against the real
 * hashicorp/aws 5.100.0 schema: the provider accepts every attribute each mode sets.
 */
describe('offline terraform plan of the access modes', function () {
  this.timeout(300_000);
  let outdir: string | undefined;
  const plans = new Map<string, Change[]>();
  const dev = environment('dev');
  const CORS = { corsAllowOrigins: ['https://app.example.com'] } as const;
  const STACKS: Record<string, EnvironmentConfig> = {
    keys: {
      ...dev,
      ...CORS,
      api: { ...dev.api, access: { ...KEY_ACCESS, network: { sourceCidrs: ['203.0.113.0/24'] } } },
    },
    iam: { ...dev, ...CORS, api: { ...dev.api, access: { ...IAM_ACCESS, network: NETWORK_LIMITS } } },
  };

  before(function () {
    const terraform = findTerraform();
    const pluginDir = pluginDirFromEnv();
    if (terraform === undefined || pluginDir === undefined) {
      if (process.env.REQUIRE_TERRAFORM === '1')
        throw new Error('REQUIRE_TERRAFORM=1, but terraform or TF_PLUGIN_DIR is missing');
      this.skip();
    }
    outdir = mkdtempSync(path.join(tmpdir(), 'item-api-access-'));
    const app = new App({ outdir });
    const stacks = Object.entries(STACKS).map(
      ([name, config]) =>
        new EnvironmentStack(app, name, {
          config: { ...config, name },
          stateBackend: { kind: 'local', onPurpose: true },
          bundleDir: HANDLER_DIST_DIR,
        }),
    );
    synthWithProviderLock(app, REPO_ROOT, stacks);
    for (const stack of synthesizedStacks(outdir)) {
      const files = planStack({
        terraform: terraform as string,
        pluginDir,
        stackDir: stack.dir,
        stackName: stack.name,
        plansDir: path.join(outdir, 'plans'),
      });
      const plan = readPlan(files.json) as { errored?: boolean; resource_changes: Change[] };
      expect(plan.errored, stack.name).to.equal(false);
      plans.set(stack.name, plan.resource_changes);
    }
  });

  after(() => {
    if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
  });

  const changes = (stack: string, type: string) =>
    (plans.get(stack) ?? []).filter((c) => c.type === type && c.mode === 'managed');

  it('api-key: validates and plans the plans, the generated key, both attachments and the source allow-list', () => {
    const usagePlans = changes('keys', 'aws_api_gateway_usage_plan').map((c) => c.change.after);
    expect(usagePlans.map((p) => [p.name, p.throttle_settings, p.quota_settings])).to.have.deep.members([
      [
        'item-api-dev-api-partner',
        [{ rate_limit: 10, burst_limit: 20 }],
        [{ limit: 100_000, period: 'MONTH', offset: 0 }],
      ],
      ['item-api-dev-api-internal', [{ rate_limit: 40, burst_limit: 80 }], []],
    ]);
    const [key] = changes('keys', 'aws_api_gateway_api_key');
    expect(key?.change.after).to.deep.include({ name: 'item-api-dev-api-acme', enabled: true });
    expect(key?.change.after_unknown).to.deep.include({ value: true, id: true });
    expect(changes('keys', 'aws_api_gateway_usage_plan_key')).to.have.lengthOf(2);
    expect(
      changes('keys', 'aws_api_gateway_method').map((m) => [
        m.change.after.http_method,
        m.change.after.api_key_required,
      ]),
    ).to.have.deep.members([
      ['GET', true],
      ['HEAD', true],
      ['OPTIONS', false],
    ]);
    expect(changes('keys', 'aws_api_gateway_rest_api_policy')).to.have.lengthOf(1);
  });

  it('iam: validates and plans AWS_IAM methods, a private endpoint and the resource policy', () => {
    expect(
      changes('iam', 'aws_api_gateway_method').map((m) => [
        m.change.after.http_method,
        m.change.after.authorization,
      ]),
    ).to.have.deep.members([
      ['GET', 'AWS_IAM'],
      ['HEAD', 'AWS_IAM'],
      ['OPTIONS', 'NONE'],
    ]);
    const [api] = changes('iam', 'aws_api_gateway_rest_api');
    expect(api?.change.after.endpoint_configuration).to.deep.equal([{ types: ['PRIVATE'] }]);
    const [policy] = changes('iam', 'aws_api_gateway_rest_api_policy');
    // The document names the API's own ARN, known only once the API exists.
    expect(policy?.change.after_unknown).to.deep.include({ policy: true });
    expect(changes('iam', 'aws_api_gateway_usage_plan')).to.deep.equal([]);
  });
});
