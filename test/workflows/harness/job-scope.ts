import type { Job } from '@actions/workflow-parser/model/workflow-template';
import { fullName } from './events';
import { type ExpressionScope, evaluateToken } from './expressions';
import { githubContext, type RunInfo } from './github-context';
import type { GitHubSettings } from './github-state';
import type { JobIdentity } from './oidc-issuer';
import type { Outcome } from './run-records';

/**
 * What a job's own keys (`if:`, `name:`, `environment:`, `concurrency:`) are evaluated against,
 * before it has a runner: `github`, `needs` (results and outputs of the jobs it needs), `vars`,
 * `inputs`; and the variables and secrets it then gets: the repository's, overlaid by its
 * environment's, and none at all for a pull request from a fork (GitHub passes neither to it).
 */
export type NeedResults = Record<string, { result: Outcome; outputs: Record<string, string> } | undefined>;

/** The github context before the job has a runner (no workspace, no token yet). */
export const githubBeforeRunner = (run: RunInfo, jobId: string) =>
  githubContext(run, {
    id: jobId,
    token: '',
    paths: { workspace: '', temp: '', toolCache: '', eventPath: '' },
  });

export function jobLevelScope(options: {
  run: RunInfo;
  jobId: string;
  needs: NeedResults;
  vars: Record<string, string>;
  inputs: Record<string, unknown>;
}): ExpressionScope {
  const needs = Object.values(options.needs);
  return {
    contexts: {
      github: githubBeforeRunner(options.run, options.jobId),
      needs: Object.fromEntries(Object.entries(options.needs).map(([id, n]) => [id, n ?? {}])),
      vars: options.vars,
      inputs: options.inputs,
      strategy: {},
      matrix: {},
    },
    status: {
      success: needs.every((n) => n?.result === 'success'),
      failure: needs.some((n) => n?.result === 'failure'),
      cancelled: false,
    },
  };
}

/** `environment:` as a name (it may be a string or `{ name, url }`), or undefined. */
export function environmentName(job: Job, scope: ExpressionScope): string | undefined {
  if (job.environment === undefined) return undefined;
  const value = evaluateToken(job.environment, scope);
  const name = typeof value === 'string' ? value : (value as { name?: string } | null)?.name;
  return name || undefined;
}

export function settingsFor(options: {
  settings: GitHubSettings;
  environment: string | undefined;
  fromFork: boolean;
  secrets: Record<string, string>;
}): { vars: Record<string, string>; secrets: Record<string, string> } {
  if (options.fromFork) return { vars: {}, secrets: options.secrets };
  return { vars: options.settings.variablesOf(options.environment), secrets: options.secrets };
}

/** Who the job is, for its OIDC token: the run's workflow, and the file the job itself is in. */
export function jobIdentity(
  run: RunInfo,
  jobWorkflowPath: string,
  environment: string | undefined,
): JobIdentity {
  const repo = fullName(run.repository);
  return {
    repository: run.repository,
    event: run.event,
    runId: run.runId,
    workflowName: run.workflowName,
    workflowRef: `${repo}/${run.workflowPath}@${run.event.ref}`,
    jobWorkflowRef: `${repo}/${jobWorkflowPath}@${run.event.ref}`,
    environment,
  };
}
