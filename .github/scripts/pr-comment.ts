import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runWhenMain } from '../../scripts/lib/cli';
import { REPO_ROOT } from '../../scripts/lib/paths';
import { hasChanges, readPlan, renderPlanSummary, type TerraformPlan } from '../../scripts/plan-summary';

/**
 * `npm run pr-comment [-- --fork]`: after `npm run plan` in the pull-request workflow, one sticky
 * comment per stack (found again by a hidden marker and edited in place on every push), the same
 * Markdown in the job summary, and `has-changes` as a step output. Rendering is pure and exported;
 * only `upsertComment` talks to GitHub.
 */

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

function footer(context: RenderContext): string | undefined {
  const parts = [
    context.sha ? `Planned at ${context.sha.slice(0, 7)}` : undefined,
    context.runUrl ? `[workflow run and plan files](${context.runUrl})` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? `<sub>${parts.join(' · ')}</sub>` : undefined;
}

export const FORK_MESSAGE =
  'Could not plan: pull requests from forks get no AWS credentials (GitHub withholds OIDC tokens and ' +
  'secrets from them). Synth and the offline `terraform validate` ran; a maintainer can push the ' +
  'branch to this repository to get a plan.';

/** What a fork pull request gets instead of a plan: said plainly, once per stack. */
export function renderForkSummary(stacks: readonly string[], context: RenderContext = {}): string {
  const list = stacks.map((stack) => `- \`${stack}\`: synthesized and validated offline, **not planned**`);
  const foot = footer(context);
  return [
    '### Terraform plan: not run',
    '',
    '> [!WARNING]',
    `> ${FORK_MESSAGE}`,
    '',
    ...list,
    ...(foot ? ['', foot] : []),
    '',
  ].join('\n');
}

export interface IssueComment {
  readonly id: number;
  readonly body?: string;
  readonly user?: { readonly type?: string } | null;
}

/** Our earlier comment for this stack: a bot's comment that starts with the marker. */
export function findStickyComment(
  comments: readonly IssueComment[],
  marker: string,
): IssueComment | undefined {
  return comments.find((comment) => comment.user?.type === 'Bot' && comment.body?.startsWith(marker));
}

export interface UpsertOptions {
  readonly apiUrl: string;
  /** `owner/repo`. */
  readonly repository: string;
  readonly issueNumber: number;
  readonly token: string;
  readonly marker: string;
  readonly body: string;
  readonly fetch?: typeof fetch;
}

/** Edits the comment carrying `marker`, or creates it; returns what it did. */
export async function upsertComment(
  options: UpsertOptions,
): Promise<{ action: 'created' | 'updated'; id: number }> {
  const doFetch = options.fetch ?? fetch;
  const base = `${options.apiUrl.replace(/\/$/, '')}/repos/${options.repository}/issues`;
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'content-type': 'application/json',
    'user-agent': 'item-api-pr-comment',
    'x-github-api-version': '2022-11-28',
  };
  const call = async (method: string, url: string, body?: unknown) => {
    const response = await doFetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`GitHub API ${method} ${url} answered ${response.status}: ${await response.text()}`);
    }
    return response.json() as Promise<unknown>;
  };

  let existing: IssueComment | undefined;
  for (let page = 1; existing === undefined; page++) {
    const comments = (await call(
      'GET',
      `${base}/${options.issueNumber}/comments?per_page=100&page=${page}`,
    )) as IssueComment[];
    existing = findStickyComment(comments, options.marker);
    if (comments.length < 100) break;
  }
  if (existing) {
    await call('PATCH', `${base}/comments/${existing.id}`, { body: options.body });
    return { action: 'updated', id: existing.id };
  }
  const created = (await call('POST', `${base}/${options.issueNumber}/comments`, {
    body: options.body,
  })) as IssueComment;
  return { action: 'created', id: created.id };
}

/** Stacks with a saved plan, by their `<stack>.plan.json` files. */
export function plannedStacks(plansDir: string): string[] {
  if (!existsSync(plansDir)) return [];
  return readdirSync(plansDir)
    .filter((file) => file.endsWith('.plan.json'))
    .map((file) => file.slice(0, -'.plan.json'.length))
    .sort();
}

/** Stacks from the cdktf manifest, for the fork case where nothing was planned. */
export function synthesizedStackNames(cdktfOut: string): string[] {
  const manifest = path.join(cdktfOut, 'manifest.json');
  if (!existsSync(manifest)) return [];
  return Object.keys((JSON.parse(readFileSync(manifest, 'utf8')) as { stacks?: object }).stacks ?? {});
}

function pullRequestNumber(env: NodeJS.ProcessEnv): number | undefined {
  if (!env.GITHUB_EVENT_PATH || !existsSync(env.GITHUB_EVENT_PATH)) return undefined;
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as {
    pull_request?: { number?: number };
  };
  return event.pull_request?.number;
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      fork: { type: 'boolean', default: false },
      'plans-dir': { type: 'string', default: path.join(REPO_ROOT, 'cdktf.out', 'plans') },
      'print-only': { type: 'boolean', default: false },
    },
  });
  const plansDir = values['plans-dir'];
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const context: RenderContext = { runUrl, sha: env.PR_HEAD_SHA || env.GITHUB_SHA };
  const summaryFile = env.GITHUB_STEP_SUMMARY;

  if (values.fork) {
    const markdown = renderForkSummary(synthesizedStackNames(path.dirname(plansDir)), context);
    if (summaryFile) appendFileSync(summaryFile, markdown);
    process.stdout.write(markdown);
    return;
  }

  const stacks = plannedStacks(plansDir);
  if (stacks.length === 0) throw new Error(`no *.plan.json in ${plansDir}; run \`npm run plan\` first`);
  const issueNumber = pullRequestNumber(env);
  const canComment = !values['print-only'] && env.GITHUB_TOKEN && env.GITHUB_REPOSITORY && issueNumber;
  let anyChanges = false;

  for (const stack of stacks) {
    const plan = readPlan(path.join(plansDir, `${stack}.plan.json`));
    const textFile = path.join(plansDir, `${stack}.plan.txt`);
    const planText = existsSync(textFile) ? readFileSync(textFile, 'utf8') : '(no plan text was saved)';
    anyChanges ||= hasChanges(plan);
    const body = renderStackComment({ stack, plan, planText }, context);
    if (summaryFile) appendFileSync(summaryFile, `${body}\n\n`);
    if (canComment) {
      const result = await upsertComment({
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
        repository: env.GITHUB_REPOSITORY as string,
        issueNumber: issueNumber as number,
        token: env.GITHUB_TOKEN as string,
        marker: commentMarker(stack),
        body,
      });
      console.error(`[${stack}] comment ${result.action} (${result.id})`);
    } else {
      process.stdout.write(`${body}\n\n`);
    }
  }

  console.error(`has-changes=${anyChanges}`);
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `has-changes=${anyChanges}\n`);
}

runWhenMain(module, () => main(process.argv.slice(2), process.env));
