import path from 'node:path';
import { expect } from 'chai';
import {
  type ChangeAction,
  classify,
  hasChanges,
  readPlan,
  renderPlanSummary,
  type TerraformPlan,
} from '../../scripts/plan-summary';
import { REPO_ROOT } from '../support/repo-root';

const fixture = (name: string) => readPlan(path.join(REPO_ROOT, 'test', 'fixtures', 'plans', name));
const FIRST_DEPLOY = fixture('dev.plan.json');
const SECOND_DEPLOY = fixture('dev-replace-and-destroy.plan.json');

const TABLE = 'aws_dynamodb_table.items-api_items_table_5D2F9F83';
const ACCESS_LOGS = 'aws_cloudwatch_log_group.items-api_access-logs_F69E411B';

describe('plan summary', () => {
  describe('classify', () => {
    const CASES: readonly [ChangeAction[], string | undefined][] = [
      [['create'], 'add'],
      [['update'], 'change'],
      [['delete', 'create'], 'replace'],
      [['create', 'delete'], 'replace'],
      [['delete'], 'destroy'],
      [['forget'], 'forget'],
      [['no-op'], undefined],
      [['read'], undefined],
    ];
    for (const [actions, expected] of CASES) {
      it(`${JSON.stringify(actions)} is ${expected ?? 'no change'}`, () => {
        expect(classify(actions)).to.equal(expected);
      });
    }
  });

  describe('a first deploy (recorded offline plan of dev)', () => {
    const summary = renderPlanSummary([{ name: 'dev', plan: FIRST_DEPLOY }]);

    it('has a heading and a table of counts', () => {
      expect(summary).to.match(/^### Stack `dev`\n/);
      expect(summary).to.include(
        '| Add | Change | Replace | Destroy |\n| ---: | ---: | ---: | ---: |\n| 16 | 0 | 0 | 0 |',
      );
      expect(summary).to.include('**16 to add, 0 to change, 0 to replace, 0 to destroy.**');
    });

    it('lists every resource to add', () => {
      for (const rc of FIRST_DEPLOY.resource_changes ?? []) expect(summary).to.include(`- \`${rc.address}\``);
    });

    it('raises no alarm', () => {
      expect(summary).not.to.include('[!CAUTION]');
      expect(summary).not.to.include('⚠️');
    });

    it('shows new outputs, unknown ones as known after apply', () => {
      expect(summary).to.include('| `table_name` | add | — | `item-api-dev-items` |');
      expect(summary).to.include('| `api_url` | add | — | _(known after apply)_ |');
    });

    it('has changes', () => {
      expect(hasChanges(FIRST_DEPLOY)).to.equal(true);
    });
  });

  describe('a plan that replaces the table and destroys a log group', () => {
    const summary = renderPlanSummary([{ name: 'dev', plan: SECOND_DEPLOY }]);

    it('counts replacements (either order) and destroys, and ignores no-ops and data reads', () => {
      expect(summary).to.include('| 0 | 1 | 2 | 1 |');
      expect(summary).not.to.include('aws_caller_identity');
      expect(summary).not.to.include('aws_iam_role.');
    });

    it('flags the stateful replacement and destroy loudly, in a caution block, with the cause', () => {
      const caution = summary.slice(summary.indexOf('> [!CAUTION]'));
      expect(caution).to.match(/^> \[!CAUTION\]\n> ⚠️ \*\*2 stateful resources will be replaced or destroyed/);
      expect(caution).to.include(`> - **replace** \`${TABLE}\` (forced by \`name\`)`);
      expect(caution).to.include(`> - **destroy** \`${ACCESS_LOGS}\` (removed from the configuration)`);
    });

    it('does not flag stateless replacements', () => {
      expect(summary).to.include(
        '- `aws_api_gateway_deployment.items-api_deployment_F8D3C6DB` — forced by `triggers`',
      );
      expect(summary).not.to.match(/> - .*aws_api_gateway_deployment/);
    });

    it('lists resources by action, most dangerous first', () => {
      const order = ['**Replace** (2)', '**Destroy** (1)', '**Change in place** (1)'].map((h) =>
        summary.indexOf(h),
      );
      expect(order.every((i) => i >= 0)).to.equal(true);
      expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
      expect(summary).not.to.include('**Add**');
    });

    it('shows changed and removed outputs, and leaves unchanged ones out', () => {
      expect(summary).to.include(
        '| `table_name` | change | `item-api-dev-items` | `item-api-dev-items-v2` |',
      );
      expect(summary).to.include('| `legacy_url` | remove | `https://old.example` | — |');
      expect(summary).to.match(
        /\| `table_stream_arn` \| change \| `arn:aws:dynamodb:[^|]*…` \| _\(known after apply\)_ \|/,
      );
      expect(summary).not.to.include('`api_url`');
    });
  });

  describe('edge cases', () => {
    const NO_CHANGES: TerraformPlan = {
      resource_changes: [
        { address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', change: { actions: ['no-op'] } },
      ],
      output_changes: { url: { actions: ['no-op'], before: 'x', after: 'x' } },
    };

    it('says so when nothing changes', () => {
      expect(hasChanges(NO_CHANGES)).to.equal(false);
      expect(renderPlanSummary([{ name: 'prod', plan: NO_CHANGES }])).to.equal(
        '### Stack `prod`\n\n**No changes.** The infrastructure matches the configuration.\n',
      );
    });

    it('counts an output-only change as a change', () => {
      expect(
        hasChanges({
          ...NO_CHANGES,
          output_changes: { url: { actions: ['update'], before: 'x', after: 'y' } },
        }),
      ).to.equal(true);
    });

    it('renders stacks in the given order', () => {
      const summary = renderPlanSummary([
        { name: 'prod', plan: NO_CHANGES },
        { name: 'dev', plan: FIRST_DEPLOY },
      ]);
      expect(summary.indexOf('### Stack `prod`')).to.be.lessThan(summary.indexOf('### Stack `dev`'));
    });

    it('never prints sensitive output values and escapes table pipes', () => {
      const summary = renderPlanSummary([
        {
          name: 'dev',
          plan: {
            output_changes: {
              secret: {
                actions: ['update'],
                before: 'old-secret',
                after: 'new-secret',
                after_sensitive: true,
                before_sensitive: true,
              },
              piped: { actions: ['create'], after: 'a|b' },
            },
          },
        },
      ]);
      expect(summary).not.to.include('old-secret');
      expect(summary).not.to.include('new-secret');
      expect(summary).to.include('| `secret` | change | _(sensitive)_ | _(sensitive)_ |');
      expect(summary).to.include('| `piped` | add | — | `a\\|b` |');
    });

    it('warns when the plan errored', () => {
      expect(renderPlanSummary([{ name: 'dev', plan: { ...FIRST_DEPLOY, errored: true } }])).to.include(
        '> The plan **errored**',
      );
    });
  });
});
