import { renderPlanSummary, type TerraformPlan } from '../../../scripts/plan-summary';

/** GitHub rejects issue comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Room left under the limit, so a rounding slip in our arithmetic never costs the comment. */
const SAFETY_MARGIN = 512;

export function commentMarker(stack: string): string {
  return `<!-- item-api-plan:${stack} -->`;
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

export function renderStackComment(report: StackReport, context: RenderContext = {}): string {
  const limit = (context.limit ?? GITHUB_COMMENT_LIMIT) - SAFETY_MARGIN;
  const head = [
    commentMarker(report.stack),
    renderPlanSummary([{ name: report.stack, plan: report.plan }]).trim(),
  ];
  const foot = footer(context);
  const fence = fenceFor(report.planText);
  const open = `<details><summary>Full plan for <code>${report.stack}</code></summary>\n\n${fence}text\n`;
  const close = `\n${fence}\n\n</details>`;
  const truncatedNote =
    `> [!NOTE]\n> The plan was truncated to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character ` +
    `comment limit. The full plan is in the \`plans\` artifact of ${context.runUrl ? `[the workflow run](${context.runUrl})` : 'the workflow run'}.`;

  const assemble = (planText: string, truncated: boolean) =>
    [
      ...head,
      `${open}${planText}${close}`,
      ...(truncated ? [truncatedNote] : []),
      ...(foot ? [foot] : []),
    ].join('\n\n');

  const full = assemble(report.planText, false);
  if (full.length <= limit) return full;
  const budget = limit - assemble('', true).length - TRUNCATION_MARKER.length;
  return assemble(truncateText(report.planText, Math.max(0, budget)), true);
}

const TRUNCATION_MARKER = '\n… (truncated)';

/** The first `maxChars` characters at most, cut at a line end, never inside a surrogate pair. */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = text.lastIndexOf('\n', maxChars);
  if (cut <= 0) cut = maxChars;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}${TRUNCATION_MARKER}`;
}

/** A code fence longer than any backtick run in the text, so plan text cannot close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

export function footer(context: RenderContext): string | undefined {
  const parts = [
    context.sha ? `Planned at ${context.sha.slice(0, 7)}` : undefined,
    context.runUrl ? `[workflow run and plan files](${context.runUrl})` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? `<sub>${parts.join(' · ')}</sub>` : undefined;
}
