import { fullName, type RepositoryInfo, type TriggeredEvent } from './events';

/**
 * The `github` context and the default environment variables the runner gives every step
 * (docs: "Contexts reference" → github context; "Variables reference" → default environment
 * variables), built from the event exactly where GitHub builds them from it: ref and sha per event,
 * head_ref/base_ref only for pull requests, `event` the webhook payload.
 *
 * One difference, on purpose: GITHUB_API_URL (and `github.api_url`) is the local GitHub REST API
 * stand-in's address instead of https://api.github.com.
 */
export interface RunInfo {
  readonly repository: RepositoryInfo;
  readonly event: TriggeredEvent;
  readonly runId: number;
  readonly runNumber: number;
  /** The workflow the event started (a called workflow reports its caller's). */
  readonly workflowPath: string;
  readonly workflowName: string;
  readonly apiUrl: string;
}

export interface JobPaths {
  readonly workspace: string;
  readonly temp: string;
  readonly toolCache: string;
  readonly eventPath: string;
}

export const SERVER_URL = 'https://github.com';

function refFacts(ref: string) {
  const tag = ref.startsWith('refs/tags/');
  const name = ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\//, '');
  return { refName: name, refType: tag ? 'tag' : 'branch' };
}

export function githubContext(run: RunInfo, job: { id: string; token: string; paths: JobPaths }) {
  const { event, repository } = run;
  const { refName, refType } = refFacts(event.ref);
  const repo = fullName(repository);
  return {
    action: '',
    actor: event.actor,
    actor_id: '1001',
    api_url: run.apiUrl,
    base_ref: event.baseRef ?? '',
    event: event.payload,
    event_name: event.name,
    event_path: job.paths.eventPath,
    graphql_url: `${run.apiUrl}/graphql`,
    head_ref: event.headRef ?? '',
    job: job.id,
    ref: event.ref,
    ref_name: refName,
    ref_protected: event.ref === `refs/heads/${repository.defaultBranch}`,
    ref_type: refType,
    repository: repo,
    repository_id: String(repository.id),
    repository_owner: repository.owner,
    repository_owner_id: String(repository.ownerId),
    retention_days: '90',
    run_id: String(run.runId),
    run_number: String(run.runNumber),
    run_attempt: '1',
    secret_source: 'Actions',
    server_url: SERVER_URL,
    sha: event.sha,
    token: job.token,
    triggering_actor: event.actor,
    workflow: run.workflowName,
    workflow_ref: `${repo}/${run.workflowPath}@${event.ref}`,
    workflow_sha: event.sha,
    workspace: job.paths.workspace,
  };
}

/** The variables every step gets, whatever the workflow says (GitHub does not let a workflow override them). */
export function defaultEnvironment(context: ReturnType<typeof githubContext>, paths: JobPaths) {
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTOR: context.actor,
    GITHUB_ACTOR_ID: context.actor_id,
    GITHUB_API_URL: context.api_url,
    GITHUB_BASE_REF: context.base_ref,
    GITHUB_EVENT_NAME: context.event_name,
    GITHUB_EVENT_PATH: paths.eventPath,
    GITHUB_GRAPHQL_URL: context.graphql_url,
    GITHUB_HEAD_REF: context.head_ref,
    GITHUB_JOB: context.job,
    GITHUB_REF: context.ref,
    GITHUB_REF_NAME: context.ref_name,
    GITHUB_REF_PROTECTED: String(context.ref_protected),
    GITHUB_REF_TYPE: context.ref_type,
    GITHUB_REPOSITORY: context.repository,
    GITHUB_REPOSITORY_ID: context.repository_id,
    GITHUB_REPOSITORY_OWNER: context.repository_owner,
    GITHUB_REPOSITORY_OWNER_ID: context.repository_owner_id,
    GITHUB_RETENTION_DAYS: context.retention_days,
    GITHUB_RUN_ATTEMPT: context.run_attempt,
    GITHUB_RUN_ID: context.run_id,
    GITHUB_RUN_NUMBER: context.run_number,
    GITHUB_SERVER_URL: context.server_url,
    GITHUB_SHA: context.sha,
    GITHUB_TRIGGERING_ACTOR: context.triggering_actor,
    GITHUB_WORKFLOW: context.workflow,
    GITHUB_WORKFLOW_REF: context.workflow_ref,
    GITHUB_WORKFLOW_SHA: context.workflow_sha,
    GITHUB_WORKSPACE: paths.workspace,
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_NAME: 'GitHub Actions 1',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: paths.temp,
    RUNNER_TOOL_CACHE: paths.toolCache,
  };
}

/** The `runner` context. */
export function runnerContext(paths: JobPaths) {
  return {
    name: 'GitHub Actions 1',
    os: 'Linux',
    arch: 'X64',
    environment: 'github-hosted',
    temp: paths.temp,
    tool_cache: paths.toolCache,
    debug: '',
  };
}
