import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runWhenMain } from '../../scripts/lib/cli';
import { REPO_ROOT } from '../../scripts/lib/paths';
import { PlanFileError } from '../../scripts/lib/plan-file';
import { hasChanges, readPlan } from '../../scripts/plan-summary';
import { renderForkSummary } from './lib/fork-summary';
import { commentMarker, type RenderContext, renderPlanProblem, renderStackComment } from './lib/plan-comment';
import { plannedStacks, synthesizedStackNames } from './lib/stack-names';
import { upsertComment } from './lib/sticky-comment';

/**
 * `npm run pr-comment [-- --fork]`: after `npm run plan` in the pull-request workflow, one sticky
 * comment per stack (found again by a hidden marker and edited in place on every push), the same
 * Markdown in the job summary, and `has-changes` as a step output. Rendering (lib/plan-comment.ts,
 * lib/fork-summary.ts) is pure; only `upsertComment` (lib/sticky-comment.ts) talks to GitHub.
 */

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

  const unreadable: string[] = [];
  for (const stack of stacks) {
    let body: string;
    try {
      const plan = readPlan(path.join(plansDir, `${stack}.plan.json`));
      const textFile = path.join(plansDir, `${stack}.plan.txt`);
      const planText = existsSync(textFile) ? readFileSync(textFile, 'utf8') : '(no plan text was saved)';
      anyChanges ||= hasChanges(plan);
      body = renderStackComment({ stack, plan, planText }, context);
    } catch (error) {
      if (!(error instanceof PlanFileError)) throw error;
      // Still commented, so the pull request says what went wrong; the step fails at the end.
      console.error(error.message);
      unreadable.push(error.message);
      anyChanges = true;
      body = renderPlanProblem(stack, error.message, context);
    }
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
      console.error(`[${stack}] comment ${result.action} (${result.id}, ${body.length} characters)`);
    } else {
      process.stdout.write(`${body}\n\n`);
    }
  }

  console.error(`has-changes=${anyChanges}`);
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `has-changes=${anyChanges}\n`);
  if (unreadable.length > 0) throw new Error(`${unreadable.length} plan file(s) could not be read`);
}

runWhenMain(module, () => main(process.argv.slice(2), process.env));
