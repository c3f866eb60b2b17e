import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runWhenMain } from './lib/cli';
import { cutText, inlineCode } from './lib/markdown';
import { REPO_ROOT } from './lib/paths';
import { parsePlan } from './lib/plan-file';

/** The parts of `terraform show -json <plan>` the summary reads. */
export interface TerraformPlan {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, OutputChange>>;
  readonly errored?: boolean;
}

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface ResourceChange {
  readonly address: string;
  readonly mode?: 'managed' | 'data';
  readonly type: string;
  readonly change: {
    readonly actions: readonly ChangeAction[];
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
  readonly action_reason?: string;
}

export interface OutputChange {
  readonly actions: readonly ChangeAction[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
}

export interface StackPlan {
  readonly name: string;
  readonly plan: TerraformPlan;
}

export type Action = 'add' | 'change' | 'replace' | 'destroy' | 'forget';

/** Resource types whose replacement or deletion loses data. */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'aws_dynamodb_table',
  'aws_cloudwatch_log_group',
  'aws_s3_bucket',
]);

const ACTION_ORDER: readonly Action[] = ['replace', 'destroy', 'change', 'add', 'forget'];
const ACTION_LABEL: Record<Action, string> = {
  replace: 'Replace',
  destroy: 'Destroy',
  change: 'Change in place',
  add: 'Add',
  forget: 'Forget (removed from state, kept in AWS)',
};

/** What a resource change does, or undefined for no-ops and data source reads. */
export function classify(actions: readonly ChangeAction[]): Action | undefined {
  const set = new Set(actions);
  if (set.has('delete') && set.has('create')) return 'replace';
  if (set.has('delete')) return 'destroy';
  if (set.has('create')) return 'add';
  if (set.has('update')) return 'change';
  if (set.has('forget')) return 'forget';
  return undefined;
}

/** True when applying the plan would change any resource or output. */
export function hasChanges(plan: TerraformPlan): boolean {
  const resources = (plan.resource_changes ?? []).some(
    (rc) => rc.mode !== 'data' && classify(rc.change.actions) !== undefined,
  );
  const outputs = Object.values(plan.output_changes ?? {}).some((oc) => !isNoOp(oc.actions));
  return resources || outputs;
}

function isNoOp(actions: readonly ChangeAction[]): boolean {
  return actions.every((a) => a === 'no-op' || a === 'read');
}

interface Entry {
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  readonly detail?: string;
}

function entries(plan: TerraformPlan): Entry[] {
  const result: Entry[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const action = classify(rc.change.actions);
    if (action === undefined) continue;
    result.push({ address: rc.address, type: rc.type, action, detail: detailOf(rc, action) });
  }
  return result;
}

/** Terraform's `action_reason` codes, in words. */
const REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: 'tainted',
  replace_by_request: 'replacement requested',
  replace_by_triggers: 'replace_triggered_by',
  delete_because_no_resource_config: 'removed from the configuration',
  delete_because_no_module: 'its module was removed',
  delete_because_wrong_repetition: 'count/for_each changed',
  delete_because_count_index: 'count shrank',
  delete_because_each_key: 'for_each key removed',
};

function detailOf(rc: ResourceChange, action: Action): string | undefined {
  if (action === 'replace') {
    const paths = (rc.change.replace_paths ?? []).map((p) => p.join('.'));
    if (paths.length > 0) return `forced by ${paths.map(code).join(', ')}`;
  }
  // A reason Terraform added after this list was written is shown as it came, as code.
  if (rc.action_reason !== undefined) return REASONS[rc.action_reason] ?? code(rc.action_reason);
  return undefined;
}

export interface SummaryOptions {
  /**
   * Entries shown per list (each action, the stateful warning, the output table); the rest are
   * counted in a "… and N more" line. The PR comment lowers it until the comment fits.
   * @default Infinity
   */
  readonly maxEntries?: number;
}

/** The first `max` lines of a list, and a line saying how many more the full plan holds. */
function listed(lines: readonly string[], max: number, more: (n: number) => string): string[] {
  return lines.length <= max ? [...lines] : [...lines.slice(0, max), more(lines.length - max)];
}

/** Markdown for one or more stacks, suitable for a PR comment or a job summary. */
export function renderPlanSummary(stacks: readonly StackPlan[], options: SummaryOptions = {}): string {
  return `${stacks.map((stack) => renderStack(stack, options.maxEntries ?? Number.POSITIVE_INFINITY)).join('\n\n')}\n`;
}

function renderStack({ name, plan }: StackPlan, maxEntries: number): string {
  const lines: string[] = [`### Stack ${code(name)}`, ''];
  if (plan.errored) {
    lines.push('> [!CAUTION]', '> The plan **errored**; what follows is incomplete.', '');
  }
  const all = entries(plan);
  const count = (action: Action) => all.filter((e) => e.action === action).length;

  if (!hasChanges(plan)) {
    lines.push('**No changes.** The infrastructure matches the configuration.');
    return lines.join('\n');
  }

  lines.push(
    `**${count('add')} to add, ${count('change')} to change, ${count('replace')} to replace, ${count('destroy')} to destroy.**`,
    '',
    '| Add | Change | Replace | Destroy |',
    '| ---: | ---: | ---: | ---: |',
    `| ${count('add')} | ${count('change')} | ${count('replace')} | ${count('destroy')} |`,
  );

  const dangerous = sortByAction(all).filter(
    (e) => STATEFUL_TYPES.has(e.type) && (e.action === 'replace' || e.action === 'destroy'),
  );
  if (dangerous.length > 0) {
    lines.push(
      '',
      '> [!CAUTION]',
      `> ⚠️ **${dangerous.length} stateful resource${dangerous.length === 1 ? '' : 's'} will be ${dangerous.some((e) => e.action === 'replace') ? 'replaced or destroyed' : 'destroyed'}. Their data (items, logs) is lost.**`,
      ...listed(
        dangerous.map((e) => `> - **${e.action}** ${code(e.address)}${e.detail ? ` (${e.detail})` : ''}`),
        maxEntries,
        (n) => `> - … and ${n} more in the full plan`,
      ),
    );
  }

  for (const action of ACTION_ORDER) {
    const group = all.filter((e) => e.action === action);
    if (group.length === 0) continue;
    lines.push('', `**${ACTION_LABEL[action]}** (${group.length})`, '');
    const items = group.map((e) => {
      const flag = STATEFUL_TYPES.has(e.type) && (action === 'replace' || action === 'destroy') ? '⚠️ ' : '';
      return `- ${flag}${code(e.address)}${e.detail ? ` — ${e.detail}` : ''}`;
    });
    lines.push(...listed(items, maxEntries, (n) => `- … and ${n} more in the full plan`));
  }

  const outputs = Object.entries(plan.output_changes ?? {}).filter(([, oc]) => !isNoOp(oc.actions));
  if (outputs.length > 0) {
    lines.push(
      '',
      '**Output changes**',
      '',
      '| Output | Change | Before | After |',
      '| --- | --- | --- | --- |',
    );
    const rows = outputs.map(([outputName, oc]) => {
      const kind =
        oc.actions.includes('delete') && !oc.actions.includes('create')
          ? 'remove'
          : oc.actions.includes('create')
            ? 'add'
            : 'change';
      return `| ${inlineCode(cutText(outputName, MAX_INLINE), { inTable: true })} | ${kind} | ${cell(oc.before, oc.before_sensitive, false, kind === 'add')} | ${cell(oc.after, oc.after_sensitive, oc.after_unknown, kind === 'remove')} |`;
    });
    lines.push(...listed(rows, maxEntries, (n) => `| … and ${n} more | | | |`));
  }
  return lines.join('\n');
}

function sortByAction(list: readonly Entry[]): Entry[] {
  return [...list].sort((a, b) => ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action));
}

function cell(value: unknown, sensitive: unknown, unknown: unknown, absent: boolean): string {
  if (absent) return '—';
  if (sensitive === true) return '_(sensitive)_';
  if (unknown === true) return '_(known after apply)_';
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return inlineCode(cutText(text, 80), { inTable: true });
}

/** Longest untrusted text shown inline (an address, a key); the full plan has the rest. */
const MAX_INLINE = 300;

/** Untrusted text as inline code (scripts/lib/markdown.ts), cut to a sensible length. */
function code(text: string): string {
  return inlineCode(cutText(text, MAX_INLINE));
}

/** Reads and checks a `terraform show -json` file; a problem is one line naming the file. */
export function readPlan(file: string): TerraformPlan {
  return parsePlan(readFileSync(file, 'utf8'), path.basename(file));
}

/** `npm run plan:summary [-- <file.plan.json>...]`: re-renders the summary from saved plans. */
function main(files: readonly string[]): void {
  const plansDir = path.join(REPO_ROOT, 'cdktf.out', 'plans');
  const inputs =
    files.length > 0
      ? files
      : readdirSync(plansDir)
          .filter((f) => f.endsWith('.plan.json'))
          .sort()
          .map((f) => path.join(plansDir, f));
  if (inputs.length === 0) throw new Error(`no *.plan.json in ${plansDir}; run \`npm run plan\` first`);
  const stacks = inputs.map((file) => ({ name: path.basename(file, '.plan.json'), plan: readPlan(file) }));
  process.stdout.write(renderPlanSummary(stacks));
}

runWhenMain(module, () => main(process.argv.slice(2)));
