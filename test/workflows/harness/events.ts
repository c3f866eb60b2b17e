/**
 * The events that start this project's workflows, as GitHub delivers them: the webhook payload
 * (`github.event`, written to GITHUB_EVENT_PATH) plus the ref and commit GitHub derives for the run
 * (docs: "Events that trigger workflows", the GITHUB_SHA / GITHUB_REF column of each event).
 * Payloads hold the fields workflows and actions read, in GitHub's shapes; the rest is left out.
 */

export interface RepositoryInfo {
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  readonly ownerId: number;
  readonly defaultBranch: string;
  /** A fork's parent, for the head repository of a pull request from a fork. */
  readonly forkOf?: RepositoryInfo;
}

export interface TriggeredEvent {
  readonly name: 'pull_request' | 'push' | 'release' | 'workflow_dispatch';
  readonly payload: Record<string, unknown>;
  /** GITHUB_REF. */
  readonly ref: string;
  /** GITHUB_SHA: the commit the run checks out and takes its workflow files from. */
  readonly sha: string;
  readonly actor: string;
  /** Pull requests only: the source and target branches (GITHUB_HEAD_REF, GITHUB_BASE_REF). */
  readonly headRef?: string;
  readonly baseRef?: string;
}

export const fullName = (repo: RepositoryInfo) => `${repo.owner}/${repo.name}`;

const user = (login: string, id = 1000 + login.length) => ({
  login,
  id,
  type: login.endsWith('[bot]') ? 'Bot' : 'User',
});

export function repositoryPayload(repo: RepositoryInfo) {
  return {
    id: repo.id,
    name: repo.name,
    full_name: fullName(repo),
    private: false,
    visibility: 'public',
    owner: user(repo.owner, repo.ownerId),
    html_url: `https://github.com/${fullName(repo)}`,
    clone_url: `https://github.com/${fullName(repo)}.git`,
    fork: repo.forkOf !== undefined,
    default_branch: repo.defaultBranch,
  };
}

export interface PullRequestOptions {
  readonly repository: RepositoryInfo;
  readonly number: number;
  /** `opened` for the first push, `synchronize` for every later one. */
  readonly action: 'opened' | 'synchronize' | 'reopened';
  /** The repository the branch lives in: this one, or a fork of it. */
  readonly headRepository: RepositoryInfo;
  readonly headBranch: string;
  readonly headSha: string;
  readonly baseBranch: string;
  readonly baseSha: string;
  /** The test merge commit GitHub makes (refs/pull/N/merge): what the run checks out. */
  readonly mergeSha: string;
  readonly actor: string;
}

export function pullRequestEvent(options: PullRequestOptions): TriggeredEvent {
  const base = repositoryPayload(options.repository);
  const head = repositoryPayload(options.headRepository);
  return {
    name: 'pull_request',
    ref: `refs/pull/${options.number}/merge`,
    sha: options.mergeSha,
    actor: options.actor,
    headRef: options.headBranch,
    baseRef: options.baseBranch,
    payload: {
      action: options.action,
      number: options.number,
      pull_request: {
        number: options.number,
        state: 'open',
        title: `Pull request ${options.number}`,
        user: user(options.actor),
        merge_commit_sha: options.mergeSha,
        head: {
          label: `${options.headRepository.owner}:${options.headBranch}`,
          ref: options.headBranch,
          sha: options.headSha,
          repo: head,
          user: head.owner,
        },
        base: {
          label: `${options.repository.owner}:${options.baseBranch}`,
          ref: options.baseBranch,
          sha: options.baseSha,
          repo: base,
          user: base.owner,
        },
      },
      repository: base,
      sender: user(options.actor),
    },
  };
}

export function pushEvent(options: {
  repository: RepositoryInfo;
  branch: string;
  before: string;
  after: string;
  actor: string;
}): TriggeredEvent {
  const ref = `refs/heads/${options.branch}`;
  return {
    name: 'push',
    ref,
    sha: options.after,
    actor: options.actor,
    payload: {
      ref,
      before: options.before,
      after: options.after,
      created: false,
      deleted: false,
      forced: false,
      head_commit: { id: options.after },
      repository: repositoryPayload(options.repository),
      pusher: { name: options.actor },
      sender: user(options.actor),
    },
  };
}

/** `release: published`: the run is on the release's tag and the commit it points at. */
export function releaseEvent(options: {
  repository: RepositoryInfo;
  tag: string;
  sha: string;
  targetBranch: string;
  actor: string;
}): TriggeredEvent {
  return {
    name: 'release',
    ref: `refs/tags/${options.tag}`,
    sha: options.sha,
    actor: options.actor,
    payload: {
      action: 'published',
      release: {
        id: 1,
        tag_name: options.tag,
        target_commitish: options.targetBranch,
        name: options.tag,
        draft: false,
        prerelease: false,
        author: user(options.actor),
      },
      repository: repositoryPayload(options.repository),
      sender: user(options.actor),
    },
  };
}

export function workflowDispatchEvent(options: {
  repository: RepositoryInfo;
  ref: string;
  sha: string;
  workflowPath: string;
  inputs?: Record<string, string>;
  actor: string;
}): TriggeredEvent {
  return {
    name: 'workflow_dispatch',
    ref: options.ref,
    sha: options.sha,
    actor: options.actor,
    payload: {
      ref: options.ref,
      inputs: options.inputs ?? {},
      workflow: options.workflowPath,
      repository: repositoryPayload(options.repository),
      sender: user(options.actor),
    },
  };
}
