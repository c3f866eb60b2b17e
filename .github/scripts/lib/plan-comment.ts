import { codeBlock, cutText, htmlText, inlineCode } from '../../../scripts/lib/markdown';
import { renderPlanSummary, type TerraformPlan } from '../../../scripts/plan-summary';

/** GitHub rejects issue comments longer than this many characters (it answers 422). */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Room left under the limit, so a rounding slip in our arithmetic never costs the comment. */
const SAFETY_MARGIN = 512;

/** Found again by this on every push; the stack name is reduced to characters a comment keeps. */
export function commentMarker(stack: string): string {
  return `<!-- item-api-plan:${stack.replace(/[^A-Za-z0-9_.-]/g, '_')} -->`;
}

export interface StackReport {
  readonly stack: string;
  readonly plan: TerraformPlan;
  /** `terraform show -no-color` of the saved plan. */
  readonly planText: string;
}

export interface RenderContext {
  /** Link to the workflow run, where the plan artifacts are. */
  readonly runUrl?: string;
  /** The commit that was planned. */
  readonly sha?: string;
  /** Override of GITHUB_COMMENT_LIMIT, for tests. */
  readonly limit?: number;
}

/**
 * One stack's comment, always under the limit: first the plan text is cut, then the lists of
 * changed resources and outputs are shortened (each ending in "… and N more"), never the stack's
 * name, the counts, the warnings' heading or the link to the full plan.
 */
export function renderStackComment(report: StackReport, context: RenderContext = {}): string {
  const limit = (context.limit ?? GITHUB_COMMENT_LIMIT) - SAFETY_MARGIN;
  const summary = (maxEntries?: number) =>
    renderPlanSummary([{ name: report.stack, plan: report.plan }], { maxEntries }).trim();
  const assemble = (head: string, planText: string, truncated: boolean) =>
    [
      commentMarker(report.stack),
      head,
      collapsedPlan(report.stack, planText),
      ...(truncated ? [truncatedNote(context)] : []),
      commentFooter(context),
    ].join('\n\n');

  const full = assemble(summary(), report.planText, false);
  if (full.length <= limit) return full;

  // The most list entries that leave the plan text some room.
  const room = (head: string) => limit - assemble(head, '', true).length - TRUNCATION_MARKER.length;
  let head = summary();
  if (room(head) < MIN_PLAN_ROOM) {
    let [fits, tooMany] = [0, longestList(report.plan) + 1];
    while (tooMany - fits > 1) {
      const middle = Math.floor((fits + tooMany) / 2);
      if (room(summary(middle)) >= MIN_PLAN_ROOM) fits = middle;
      else tooMany = middle;
    }
    head = summary(fits);
  }
  // The fence grows with the backticks in what is kept, so measure and cut again until it fits.
  let budget = Math.max(0, room(head));
  for (;;) {
    const body = assemble(head, truncateText(report.planText, budget), true);
    if (body.length <= limit || budget === 0) return body;
    budget = Math.max(0, budget - (body.length - limit));
  }
}

/** A plan file that could not be read: one line naming the file and what is wrong. */
export function renderPlanProblem(stack: string, problem: string, context: RenderContext = {}): string {
  return [
    commentMarker(stack),
    `### Stack ${inlineCode(cutText(stack, 100))}`,
    `> [!CAUTION]\n> **The plan could not be read:** ${inlineCode(cutText(problem, 1_000))}`,
    commentFooter(context),
  ].join('\n\n');
}

/** Plan text kept even when the lists must shrink, so the comment always shows how it starts. */
const MIN_PLAN_ROOM = 2_000;

function longestList(plan: TerraformPlan): number {
  return Math.max(plan.resource_changes?.length ?? 0, Object.keys(plan.output_changes ?? {}).length);
}

function collapsedPlan(stack: string, planText: string): string {
  return `<details><summary>Full plan for <code>${htmlText(cutText(stack, 100))}</code></summary>\n\n${codeBlock(planText, 'text')}\n\n</details>`;
}

function truncatedNote(context: RenderContext): string {
  return (
    `> [!NOTE]\n> The plan was shortened to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character ` +
    `comment limit. The full plan is in the \`plans\` artifact of ${runLink(context)}.`
  );
}

const runLink = (context: RenderContext) =>
  context.runUrl ? `[the workflow run](${context.runUrl})` : 'the workflow run';

const shortSha = (sha: string | undefined) => sha?.replace(/[^0-9a-f]/gi, '').slice(0, 7) || undefined;

/** Every stack comment ends naming the commit and linking the full plan. */
function commentFooter(context: RenderContext): string {
  const sha = shortSha(context.sha);
  return `<sub>${sha ? `Planned at ${sha} · ` : ''}Full plan: the \`plans\` artifact of ${runLink(context)}</sub>`;
}

const TRUNCATION_MARKER = '\n… (truncated)';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The first `maxChars` characters at most, cut at a line end, or else between whole characters. */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = text.lastIndexOf('\n', maxChars);
  if (cut <= 0) {
    cut = 0;
    for (const { segment } of graphemes.segment(text)) {
      if (cut + segment.length > maxChars) break;
      cut += segment.length;
    }
  }
  return `${text.slice(0, cut)}${TRUNCATION_MARKER}`;
}

export function footer(context: RenderContext): string | undefined {
  const parts = [
    shortSha(context.sha) ? `Planned at ${shortSha(context.sha)}` : undefined,
    context.runUrl ? `[workflow run and plan files](${context.runUrl})` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? `<sub>${parts.join(' · ')}</sub>` : undefined;
}
