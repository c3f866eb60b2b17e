import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ITEM_METHODS } from '#shared/response-policy';
import { ENVIRONMENTS } from '../../infra/config';
import { PROVIDER_LOCK_FILE } from '../../infra/terraform-settings';
import { App } from '../../infra/toolchain';
import { synthApp } from '../../main';
import { findTerraform, TERRAFORM_INSTALL_HINT } from '../../scripts/lib/find-terraform';
import {
  OFFLINE_MIRROR_HINT,
  OFFLINE_OVERRIDE_FILE,
  OFFLINE_PROVIDER_SETTINGS,
  pluginDirFromEnv,
} from '../../scripts/lib/offline-plan';
import { planStack } from '../../scripts/lib/plan-stack';
import { type SynthesizedStack, synthesizedStacks } from '../../scripts/lib/synthesized-stacks';
import { type ChangeAction, readPlan, type TerraformPlan } from '../../scripts/plan-summary';
import { testFlag } from '../support/flags';
import { REPO_ROOT } from '../support/repo-root';
import { effective } from './synth';

interface PlannedChange {
  address: string;
  type: string;
  mode: 'managed' | 'data';
  change: { actions: ChangeAction[]; after: Record<string, unknown>; after_unknown: Record<string, unknown> };
}

interface PlanJson extends TerraformPlan {
  resource_changes: PlannedChange[];
  configuration: {
    provider_config: Record<string, { version_constraint?: string; expressions?: Record<string, unknown> }>;
    root_module: { resources: { address: string; expressions: Record<string, { references?: string[] }> }[] };
  };
}

interface Planned extends SynthesizedStack {
  readonly plan: PlanJson;
  /** The stack's own configuration, as synthesized (without the offline override). */
  readonly config: {
    provider: { aws: Record<string, unknown>[] };
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
}

/** Terraform and a provider mirror are needed; without them the suite skips, or fails under REQUIRE_TERRAFORM=1. */
function offlinePrerequisites(): { terraform: string; pluginDir: string } | string {
  const terraform = findTerraform();
  if (terraform === undefined) return `terraform is not on PATH. ${TERRAFORM_INSTALL_HINT}`;
  const pluginDir = pluginDirFromEnv();
  if (pluginDir === undefined) return `TF_PLUGIN_DIR is not set. ${OFFLINE_MIRROR_HINT}`;
  return { terraform, pluginDir };
}

describe('offline terraform validate and plan of every stack (real AWS provider schema)', function () {
  this.timeout(300_000);
  let outdir: string | undefined;
  const planned = new Map<string, Planned>();

  before(function () {
    const prerequisites = offlinePrerequisites();
    if (typeof prerequisites === 'string') {
      if (testFlag('REQUIRE_TERRAFORM')) throw new Error(`REQUIRE_TERRAFORM=1, but ${prerequisites}`);
      console.warn(`      skipped: ${prerequisites}`);
      this.skip();
    }
    // A temporary outdir, so the tests never clobber the user's cdktf.out.
    outdir = mkdtempSync(path.join(tmpdir(), 'item-api-cdktf-'));
    const app = new App({ outdir });
    synthApp(app, {});
    for (const stack of synthesizedStacks(outdir)) {
      const files = planStack({
        ...prerequisites,
        stackDir: stack.dir,
        stackName: stack.name,
        plansDir: path.join(outdir, 'plans'),
      });
      planned.set(stack.name, {
        ...stack,
        plan: readPlan(files.json) as PlanJson,
        config: JSON.parse(readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')),
      });
    }
  });

  after(() => {
    if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
  });

  it('validates and plans every stack without errors', () => {
    expect([...planned.keys()]).to.include.members(ENVIRONMENTS.map((e) => e.name));
    for (const [name, { plan }] of planned) {
      expect(plan.errored, name).to.equal(false);
      expect(plan.resource_changes.length, name).to.be.greaterThan(0);
      expect(
        plan.resource_changes
          // Data sources that depend on values known only after apply show up as reads.
          .filter((rc) => rc.mode !== 'data' && rc.change.actions.join() !== 'create')
          .map((rc) => rc.address),
        `${name}: a fresh plan only creates`,
      ).to.deep.equal([]);
    }
  });

  it('leaves no .terraform in the stack folder, so a later cdktf deploy finds its own backend', () => {
    for (const [name, { dir }] of planned) {
      expect(existsSync(path.join(dir, '.terraform')), name).to.equal(false);
    }
  });

  it('installs the provider against the committed lock file and leaves that file as it was', () => {
    const committed = readFileSync(path.join(REPO_ROOT, PROVIDER_LOCK_FILE), 'utf8');
    for (const [name, { dir }] of planned) {
      expect(readFileSync(path.join(dir, PROVIDER_LOCK_FILE), 'utf8'), name).to.equal(committed);
    }
  });

  it('removes the offline override after planning, so nothing can deploy with it', () => {
    for (const [name, { dir }] of planned) {
      expect(existsSync(path.join(dir, OFFLINE_OVERRIDE_FILE)), name).to.equal(false);
    }
  });

  it('takes credentials only from the offline override: the stacks carry none', () => {
    const forbidden = [
      'access_key',
      'secret_key',
      'token',
      'profile',
      'shared_credentials_files',
      'assume_role',
    ];
    for (const [name, { config, plan }] of planned) {
      for (const provider of config.provider.aws) {
        expect(
          Object.keys(provider).filter((k) => forbidden.includes(k) || k.startsWith('skip_')),
          name,
        ).to.deep.equal([]);
      }
      const planned = plan.configuration.provider_config.aws?.expressions ?? {};
      expect(planned, name).to.deep.include({
        access_key: { constant_value: OFFLINE_PROVIDER_SETTINGS.access_key },
        secret_key: { constant_value: OFFLINE_PROVIDER_SETTINGS.secret_key },
      });
    }
  });

  for (const env of ENVIRONMENTS) {
    describe(`stack ${env.name}`, () => {
      const settings = effective(env);
      const stack = () => {
        const s = planned.get(env.name);
        if (s === undefined) throw new Error(`stack ${env.name} was not planned`);
        return s;
      };
      const changes = (type: string) => stack().plan.resource_changes.filter((rc) => rc.type === type);
      const one = (type: string) => {
        const found = changes(type);
        expect(found, type).to.have.lengthOf(1);
        return found[0] as PlannedChange;
      };
      const references = (address: string, attribute: string) =>
        stack().plan.configuration.root_module.resources.find((r) => r.address === address)?.expressions[
          attribute
        ]?.references ?? [];

      it('uses hashicorp/aws 5.100.0', () => {
        expect(stack().plan.configuration.provider_config.aws?.version_constraint).to.equal('5.100.0');
      });

      it('plans the table with point-in-time recovery, SSE, stream and the configured deletion protection', () => {
        const { after } = one('aws_dynamodb_table').change;
        expect(after).to.deep.include({
          name: `${env.namePrefix}-items`,
          billing_mode: 'PAY_PER_REQUEST',
          stream_enabled: true,
          stream_view_type: 'NEW_IMAGE',
          deletion_protection_enabled: settings.deletionProtection,
        });
        expect(after.point_in_time_recovery).to.have.nested.property('[0].enabled', true);
        expect(after.server_side_encryption).to.have.nested.property('[0].enabled', true);
      });

      it('plans every log group with the configured retention', () => {
        const groups = changes('aws_cloudwatch_log_group');
        expect(groups).to.have.lengthOf(2);
        for (const { address, change } of groups) {
          expect(change.after.retention_in_days, address).to.equal(settings.logRetentionDays);
        }
      });

      it('plans stage throttling for every method, metrics on, data trace off', () => {
        const { after } = one('aws_api_gateway_method_settings').change;
        expect(after.method_path).to.equal('*/*');
        expect((after.settings as Record<string, unknown>[])[0]).to.include({
          throttling_rate_limit: settings.throttling.rateLimit,
          throttling_burst_limit: settings.throttling.burstLimit,
          metrics_enabled: true,
          data_trace_enabled: false,
          logging_level: 'OFF',
        });
      });

      it('plans X-Ray tracing on the function and the stage', () => {
        expect(one('aws_lambda_function').change.after.tracing_config).to.deep.equal([{ mode: 'Active' }]);
        expect(one('aws_api_gateway_stage').change.after.xray_tracing_enabled).to.equal(true);
      });

      it('plans the function as configured', () => {
        expect(one('aws_lambda_function').change.after).to.deep.include({
          function_name: `${env.namePrefix}-get-item`,
          runtime: 'nodejs22.x',
          architectures: ['arm64'],
          handler: 'index.handler',
          memory_size: settings.memoryMb,
          timeout: settings.timeoutSeconds,
        });
      });

      it('scopes each invoke permission to API Gateway, this API, its stage and one method (GET, HEAD)', () => {
        const permissions = changes('aws_lambda_permission');
        const api = one('aws_api_gateway_rest_api');
        expect(permissions).to.have.lengthOf(ITEM_METHODS.length);
        for (const permission of permissions) {
          expect(permission.change.after).to.deep.include({
            principal: 'apigateway.amazonaws.com',
            action: 'lambda:InvokeFunction',
            function_name: `${env.namePrefix}-get-item`,
          });
          expect(references(permission.address, 'source_arn')).to.have.members([
            api.address,
            `${api.address}.execution_arn`,
          ]);
        }
        const sourceArns = Object.values(stack().config.resource.aws_lambda_permission ?? {}).map(
          (p) => p.source_arn,
        );
        expect(sourceArns).to.have.members(
          ITEM_METHODS.map((method) => `\${${api.address}.execution_arn}/${settings.stageName}/${method}/*`),
        );
      });

      it('grants least privilege: no wildcard action, wildcard resource only for X-Ray, own table and log group only', () => {
        const role = one('aws_iam_role');
        const trust = JSON.parse(String(role.change.after.assume_role_policy)) as { Statement: unknown[] };
        expect(trust.Statement).to.deep.equal([
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ]);
        expect(changes('aws_iam_role_policy_attachment')).to.deep.equal([]);

        const policy = one('aws_iam_role_policy');
        const table = one('aws_dynamodb_table').address;
        const functionLogs = changes('aws_cloudwatch_log_group').find(
          (g) => g.change.after.name === `/aws/lambda/${env.namePrefix}-get-item`,
        )?.address;
        expect(references(policy.address, 'policy')).to.have.members([
          table,
          `${table}.arn`,
          functionLogs,
          `${functionLogs}.arn`,
        ]);
        const synthesized = Object.values(stack().config.resource.aws_iam_role_policy ?? {})[0];
        const doc = JSON.parse(String(synthesized?.policy)) as {
          Statement: { Action: string[]; Resource: string[] }[];
        };
        for (const statement of doc.Statement) {
          for (const action of statement.Action) expect(action).not.to.include('*');
          if (statement.Resource.includes('*')) {
            expect(
              statement.Action.every((a) => a.startsWith('xray:')),
              'only X-Ray gets *',
            ).to.equal(true);
          }
        }
      });
    });
  }
});
