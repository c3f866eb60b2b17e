import { randomUUID } from 'node:crypto';
import type { RepositoryInfo } from './events';
import { allows, type Permissions } from './permissions';

/**
 * The repository's side of GitHub that workflows depend on, as data: configuration variables and
 * secrets (repository and per environment), environments with required reviewers and deployment
 * branch rules, issue comments, pending deployments, and who each token belongs to. The REST API
 * stand-in (github-api-stand-in.ts) serves it; the workflow runner reads it.
 */
/** One custom deployment branch or tag rule: a name pattern (`*` stays within one path segment). */
export interface BranchPolicyState {
  readonly name: string;
  readonly type: 'branch' | 'tag';
}

export interface EnvironmentSettings {
  readonly id: number;
  readonly name: string;
  readonly variables: Map<string, string>;
  readonly secrets: Map<string, string>;
  /** Required reviewers (users by login); empty means no review. */
  readonly reviewers: { readonly type: 'User'; readonly login: string }[];
  /** `protected`: protected branches only (here, the default branch); a list: those rules; none: any ref. */
  deploymentBranches?: 'protected' | readonly BranchPolicyState[];
}

export interface IssueComment {
  readonly id: number;
  readonly issueNumber: number;
  body: string;
  readonly user: { readonly login: string; readonly id: number; readonly type: 'Bot' | 'User' };
  readonly createdAt: string;
  updatedAt: string;
}

export type TokenOwner =
  | { readonly kind: 'job'; readonly permissions: Permissions }
  | { readonly kind: 'user'; readonly login: string };

export interface PendingDeployment {
  readonly runId: number;
  readonly environment: EnvironmentSettings;
  state: 'waiting' | 'approved' | 'rejected';
  reviewedBy?: string;
  settle?: (state: 'approved' | 'rejected') => void;
}

export const ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' } as const;

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

export class GitHubState {
  readonly variables = new Map<string, string>();
  readonly secrets = new Map<string, string>();
  readonly environments = new Map<string, EnvironmentSettings>();
  readonly comments: IssueComment[] = [];
  readonly pendingDeployments: PendingDeployment[] = [];
  private readonly tokens = new Map<string, TokenOwner>();
  private nextId = 1000;

  constructor(readonly repository: RepositoryInfo) {}

  /** Sets a variable as the REST API would, refusing a name GitHub refuses. */
  setVariable(name: string, value: string, environment?: string): void {
    const problem = checkVariableName(name);
    if (problem) throw new Error(`GitHub refuses the variable name ${name}: it ${problem}`);
    (environment === undefined ? this.variables : this.environment(environment).variables).set(name, value);
  }

  /** An environment by name, created without protection rules the first time, as GitHub does for a job that names it. */
  environment(name: string): EnvironmentSettings {
    const key = name.toLowerCase();
    let found = this.environments.get(key);
    if (found === undefined) {
      found = { id: this.nextId++, name, variables: new Map(), secrets: new Map(), reviewers: [] };
      this.environments.set(key, found);
    }
    return found;
  }

  /** Whether a run on `ref` may deploy to the environment; the refusal GitHub shows otherwise. */
  deploymentRefusal(environment: EnvironmentSettings, ref: string): string | undefined {
    const policy = environment.deploymentBranches;
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
    return `${what} is not allowed to deploy to ${environment.name} due to environment protection rules.`;
  }

  issueJobToken(permissions: Permissions): string {
    const token = `ghs_${randomUUID().replaceAll('-', '')}`;
    this.tokens.set(token, { kind: 'job', permissions });
    return token;
  }

  userToken(login: string): string {
    const token = `ghp_${randomUUID().replaceAll('-', '')}`;
    this.tokens.set(token, { kind: 'user', login });
    return token;
  }

  tokenOwner(token: string | undefined): TokenOwner | undefined {
    return token === undefined ? undefined : this.tokens.get(token);
  }

  /** Whether the token may write issue or pull-request comments. */
  canComment(owner: TokenOwner): boolean {
    return (
      owner.kind === 'user' ||
      allows(owner.permissions, 'pull-requests', 'write') ||
      allows(owner.permissions, 'issues', 'write')
    );
  }

  addComment(issueNumber: number, body: string, owner: TokenOwner): IssueComment {
    const now = new Date().toISOString();
    const user =
      owner.kind === 'job'
        ? ACTIONS_BOT
        : { login: owner.login, id: 2000 + owner.login.length, type: 'User' as const };
    const comment = { id: this.nextId++, issueNumber, body, user, createdAt: now, updatedAt: now };
    this.comments.push(comment);
    return comment;
  }

  commentsOn(issueNumber: number): IssueComment[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber);
  }

  /** A job waiting for the environment's reviewers; settles when one of them approves or rejects it. */
  waitForReview(runId: number, environment: EnvironmentSettings): Promise<'approved' | 'rejected'> {
    return new Promise((settle) => {
      this.pendingDeployments.push({ runId, environment, state: 'waiting', settle });
    });
  }

  /** A review as POST .../pending_deployments records it; the error GitHub answers, if any. */
  review(runId: number, environmentIds: readonly number[], state: 'approved' | 'rejected', login: string) {
    const waiting = this.pendingDeployments.filter(
      (d) => d.runId === runId && d.state === 'waiting' && environmentIds.includes(d.environment.id),
    );
    if (waiting.length === 0) return 'No pending deployments for the given environments';
    for (const deployment of waiting) {
      if (!deployment.environment.reviewers.some((reviewer) => reviewer.login === login)) {
        return `${login} is not a required reviewer of ${deployment.environment.name}`;
      }
    }
    for (const deployment of waiting) {
      deployment.state = state;
      deployment.reviewedBy = login;
      deployment.settle?.(state);
    }
    return undefined;
  }
}
