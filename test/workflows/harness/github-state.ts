import { randomUUID } from 'node:crypto';
import type {
  GitHubState as ApiState,
  BranchPolicyState,
  EnvironmentState,
  IssueCommentState,
} from '../../support/github-api-stand-in';
import type { RepositoryInfo } from './events';
import { allows, type Permissions } from './permissions';

/**
 * The repository's side of GitHub that workflows depend on. What the REST API serves (variables,
 * environments with reviewers and branch rules, issue comments, tokens) is kept in the shape of
 * test/support/github-api-stand-in.ts, which serves it to the jobs (GITHUB_API_URL); this class adds
 * what only the runner sees: secrets, the permissions behind each job token, and deployments
 * waiting for an environment's reviewers.
 *
 * What it cannot show: `deploymentBranches: 'protected'` allows the default branch only (branch
 * protection itself is not modelled); organization and environment secrets; a job token's expiry
 * at the end of the job.
 */
export type { BranchPolicyState, EnvironmentState };

export interface PendingDeployment {
  readonly runId: number;
  readonly environment: string;
  /** Who triggered the run: with prevent self-review, not a reviewer of it. */
  readonly actor: string;
  state: 'waiting' | 'approved' | 'rejected';
  reviewedBy?: string;
  settle?: (state: 'approved' | 'rejected') => void;
}

/** GitHub's rules for configuration variable and secret names (docs: "Naming conventions"). */
export function checkVariableName(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return 'may contain only letters, digits and underscores, and must not start with a digit';
  }
  if (/^GITHUB_/i.test(name)) return 'must not start with the GITHUB_ prefix';
  return undefined;
}

/** A `*` stays within one path segment and `**` crosses them, as GitHub's branch patterns. */
function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*');
  return new RegExp(`^${body}$`);
}

export const matchesGlob = (patterns: readonly string[], value: string) =>
  patterns.some((pattern) => globToRegExp(pattern).test(value));

export class GitHubSettings {
  /** What the REST API stand-in serves. */
  readonly api: ApiState;
  readonly secrets = new Map<string, string>();
  readonly pendingDeployments: PendingDeployment[] = [];
  private readonly jobTokens = new Map<string, Permissions>();

  constructor(readonly repository: RepositoryInfo) {
    this.api = {
      owner: repository.owner,
      repo: repository.name,
      tokens: {},
      environments: [],
      variables: {},
      comments: {},
    };
  }

  /** Sets a variable as the REST API would, refusing a name GitHub refuses. */
  setVariable(name: string, value: string, environment?: string): void {
    const problem = checkVariableName(name);
    if (problem) throw new Error(`GitHub refuses the variable name ${name}: it ${problem}`);
    if (environment === undefined) this.api.variables[name] = value;
    else this.update(environment, (e) => ({ ...e, variables: { ...e.variables, [name]: value } }));
  }

  /** An environment by name, created without protection rules the first time, as GitHub does for a job that names it. */
  environment(name: string): EnvironmentState {
    const found = this.api.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
    if (found) return found;
    const created: EnvironmentState = { name };
    this.api.environments.push(created);
    return created;
  }

  /** The id GitHub's REST API gives the environment (as the stand-in numbers them). */
  environmentId(name: string): number {
    return 1_000 + this.api.environments.indexOf(this.environment(name));
  }

  update(name: string, change: (environment: EnvironmentState) => EnvironmentState): void {
    const index = this.api.environments.indexOf(this.environment(name));
    this.api.environments[index] = change(this.api.environments[index] as EnvironmentState);
  }

  variablesOf(environment: string | undefined): Record<string, string> {
    return { ...this.api.variables, ...(environment ? this.environment(environment).variables : {}) };
  }

  /** Whether a run on `ref` may deploy to the environment; the refusal GitHub shows otherwise. */
  deploymentRefusal(name: string, ref: string): string | undefined {
    const policy = this.environment(name).deploymentBranches;
    if (policy === undefined) return undefined;
    const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
    const tag = /^refs\/tags\/(.+)$/.exec(ref)?.[1];
    const patterns = (type: 'branch' | 'tag') =>
      policy === 'protected' ? [] : policy.filter((rule) => rule.type === type).map((rule) => rule.name);
    const allowed =
      policy === 'protected'
        ? branch === this.repository.defaultBranch
        : (branch !== undefined && matchesGlob(patterns('branch'), branch)) ||
          (tag !== undefined && matchesGlob(patterns('tag'), tag));
    if (allowed) return undefined;
    const what = tag !== undefined ? `Tag "${tag}"` : `Branch "${branch ?? ref}"`;
    return `${what} is not allowed to deploy to ${name} due to environment protection rules.`;
  }

  /** A job's GITHUB_TOKEN: the REST API lets it write comments only with pull-requests or issues write. */
  issueJobToken(permissions: Permissions): string {
    const token = `ghs_${randomUUID().replaceAll('-', '')}`;
    this.jobTokens.set(token, permissions);
    const writes = allows(permissions, 'pull-requests', 'write') || allows(permissions, 'issues', 'write');
    // The stand-in's token table is read-only to its callers; the settings own it.
    (this.api.tokens as Record<string, 'read' | 'write'>)[token] = writes ? 'write' : 'read';
    return token;
  }

  commentsOn(issueNumber: number): IssueCommentState[] {
    return this.api.comments[issueNumber] ?? [];
  }

  /** A job waiting for the environment's reviewers; settles when one of them approves or rejects it. */
  waitForReview(runId: number, environment: string, actor: string): Promise<'approved' | 'rejected'> {
    return new Promise((settle) => {
      this.pendingDeployments.push({ runId, environment, actor, state: 'waiting', settle });
    });
  }

  /** A reviewer's answer to a waiting deployment; the error GitHub answers (422), if any. */
  review(
    runId: number,
    environment: string,
    state: 'approved' | 'rejected',
    login: string,
  ): string | undefined {
    const waiting = this.pendingDeployments.filter(
      (d) => d.runId === runId && d.state === 'waiting' && d.environment === environment,
    );
    if (waiting.length === 0) return `No pending deployment to ${environment} in run ${runId}`;
    const settings = this.environment(environment);
    if (!(settings.reviewers ?? []).some((reviewer) => reviewer.login === login)) {
      return `${login} is not a required reviewer of ${environment}`;
    }
    if (settings.preventSelfReview && waiting.some((d) => d.actor === login)) {
      return `${login} triggered this run and ${environment} prevents self-review`;
    }
    for (const deployment of waiting) {
      deployment.state = state;
      deployment.reviewedBy = login;
      deployment.settle?.(state);
    }
    return undefined;
  }
}
