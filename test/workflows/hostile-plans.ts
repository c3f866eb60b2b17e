import type { ResourceChange, TerraformPlan } from '../../scripts/plan-summary';

/**
 * Plans a pull request's own code can produce, each aimed at one way the comment could break:
 * size, backticks, HTML in table cells, unknown reasons, emoji at a cut. Built from the shape of
 * `terraform show -json`, as real plans of this project have it (test/fixtures/plans/).
 */

export const RUN_URL = 'https://github.com/acme/item-api/actions/runs/4242';

const change = (
  address: string,
  actions: ResourceChange['change']['actions'],
  extra: Partial<ResourceChange> = {},
): ResourceChange => ({
  address,
  mode: 'managed',
  type: address.split('.')[0] ?? 'aws_x',
  change: { actions },
  ...extra,
});

/** Plan text like `terraform show` prints for `count` resources to add. */
export function planTextFor(count: number): string {
  return Array.from(
    { length: count },
    (_, i) =>
      `  # aws_lambda_permission.allow_${i} will be created\n  + resource "aws_lambda_permission" "allow_${i}" {\n      + action = "lambda:InvokeFunction"\n    }\n`,
  ).join('\n');
}

export interface HostileCase {
  readonly name: string;
  readonly plan: TerraformPlan;
  readonly planText: string;
  /** Untrusted strings that must appear, literally and visibly, somewhere in the rendered comment. */
  readonly shown: readonly string[];
}

const longBacktickRun = '`'.repeat(70_000);
const family = '👨‍👩‍👧‍👦';

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    name: 'about 900 changed resources',
    plan: {
      resource_changes: Array.from({ length: 900 }, (_, i) =>
        change(
          `aws_lambda_permission.items-api_allow-invoke-from-a-long-name_${String(i).padStart(4, '0')}`,
          [i % 3 === 0 ? 'update' : 'create'],
        ),
      ),
    },
    planText: planTextFor(900),
    shown: ['aws_lambda_permission.items-api_allow-invoke-from-a-long-name_0000'],
  },
  {
    name: 'a long run of backticks in one value',
    plan: {
      resource_changes: [change('aws_ssm_parameter.x', ['update'])],
      output_changes: { fence: { actions: ['update'], before: 'a', after: longBacktickRun } },
    },
    planText: `  ~ resource "aws_ssm_parameter" "x" {\n      ~ value = "${longBacktickRun}"\n    }\n`,
    shown: ['aws_ssm_parameter.x'],
  },
  {
    name: 'an output value with a newline and <!-- (an HTML block opening in a table cell)',
    plan: {
      resource_changes: [change('aws_s3_bucket.b', ['create'])],
      output_changes: {
        note: { actions: ['create'], after: 'ok |\n<!-- everything after this would be hidden' },
        'name|with<pipe>': { actions: ['create'], after: '<img src=x onerror=alert(1)>' },
      },
    },
    planText: 'Plan: 1 to add, 0 to change, 0 to destroy.\n',
    shown: ['ok \\|\\n<!-- everything', 'name\\|with<pipe>', '<img src=x onerror=alert(1)>'],
  },
  {
    name: 'an unknown action_reason with markup in it',
    plan: {
      resource_changes: [
        change('aws_dynamodb_table.items', ['delete', 'create'], {
          type: 'aws_dynamodb_table',
          action_reason: 'replace_because_`x`\n<!--\n# heading <b>bold</b>',
        }),
      ],
    },
    planText: 'Plan: 1 to add, 0 to change, 1 to destroy.\n',
    shown: ['replace_because_`x`\\n<!--\\n# heading <b>bold</b>'],
  },
  {
    name: 'an address with two backticks in a row',
    plan: {
      resource_changes: [
        change('aws_s3_object.o["a``b"]', ['create']),
        change('aws_s3_object.o["`edge`"]', ['create']),
      ],
    },
    planText: 'Plan: 2 to add, 0 to change, 0 to destroy.\n',
    shown: ['aws_s3_object.o["a``b"]', 'aws_s3_object.o["`edge`"]'],
  },
  {
    name: 'emoji across the cut of a long output value',
    plan: {
      resource_changes: [change('aws_s3_bucket.b', ['update'])],
      output_changes: {
        greeting: { actions: ['update'], before: 'x', after: `${'a'.repeat(75)}${family.repeat(5)}` },
      },
    },
    planText: `  ~ greeting = "${family}"\n`,
    shown: [`${'a'.repeat(75)}…`],
  },
];

/** Plan files that are not plans: each must end in one line naming the file and what is wrong. */
export const MALFORMED_PLAN_FILES: readonly { name: string; text: string; problem: RegExp }[] = [
  {
    name: 'a truncated plan JSON',
    text: '{"resource_changes": [{"address": "aws_s3_bucket.b"',
    problem: /^dev\.plan\.json: not valid JSON \(/,
  },
  { name: 'an empty file', text: '', problem: /^dev\.plan\.json: not valid JSON \(the file is empty\)$/ },
  { name: 'a null plan', text: 'null', problem: /^dev\.plan\.json: the plan is null, not a JSON object$/ },
  {
    name: 'a resource change without change',
    text: JSON.stringify({ resource_changes: [{ address: 'aws_s3_bucket.b', type: 'aws_s3_bucket' }] }),
    problem: /^dev\.plan\.json: resource_changes\[0\]\.change is missing$/,
  },
  {
    name: 'actions that are not a list, and more',
    text: JSON.stringify({
      resource_changes: [{ address: 'a.b', type: 'a', change: { actions: 'create' } }, 7],
    }),
    problem:
      /^dev\.plan\.json: resource_changes\[0\]\.change\.actions is not a list of actions \(and 1 more problem\)$/,
  },
];
