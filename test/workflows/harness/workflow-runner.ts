import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import type { ReusableWorkflowJob, WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import type { ActionStandIn, RunnerServices } from './actions/action-stand-in';
import { calledWorkflowPath, callInputs, callSecrets } from './called-workflow';
import { passEnvironmentGate, type ReviewHook } from './environment-gate';
import { fullName, type RepositoryInfo, type TriggeredEvent } from './events';
import { type ExpressionScope, evaluateCondition, evaluateString, evaluateToken } from './expressions';
import type { RunInfo } from './github-context';
import type { GitHubSettings } from './github-state';
import { runJob } from './job-runner';
import { environmentName, jobIdentity, jobLevelScope, type NeedResults, settingsFor } from './job-scope';
import type { OidcIssuer } from './oidc-issuer';
import { allows, type Permissions, permissionsFrom, resolvePermissions } from './permissions';
import type { JobRecord, Outcome, WorkflowRun } from './run-records';
import { triggers } from './triggers';
import { parseWorkflowFile, rawJob, rawKey, type WorkflowDefinition } from './workflow-definition';

/**
 * A workflow run as GitHub schedules it: the file read at the event's commit; jobs in `needs`
 * order (one at a time here, where GitHub may run independent jobs side by side); each job's
 * `if:` against `github`, `needs`, `vars` and `inputs`; reusable workflows called with their
 * inputs, their jobs capped at the caller's permissions; environments gating a job before it gets
 * a runner; then the job itself (job-runner.ts). `concurrency:` is evaluated and recorded only.
 */
export interface WorkflowHost {
  readonly repository: RepositoryInfo;
  /** A file of the repository at a commit. */
  readFile(sha: string, file: string): string;
  readonly settings: GitHubSettings;
  readonly apiUrl: string;
  readonly oidc: OidcIssuer;
  readonly services: Omit<RunnerServices, 'artifactsDir'>;
  /** The runner machine's environment: PATH, locale, and what this machine adds (workflow-host.ts). */
  readonly runnerEnv: Readonly<Record<string, string>>;
  readonly standIns: ReadonlyMap<string, ActionStandIn>;
  readonly workRoot: string;
  onReviewRequested?: ReviewHook;
  /** What this machine must do before each step that GitHub's runner does not (workflow-world.ts). */
  readonly beforeStep?: (workspace: string) => void;
}

interface Call {
  readonly definition: WorkflowDefinition;
  readonly keyPrefix: string;
  readonly inputs: Record<string, unknown>;
  readonly secrets: Record<string, string>;
  readonly callerPermissions?: Permissions;
}

let lastRunId = 9_000_000;

export async function runWorkflow(
  host: WorkflowHost,
  workflowPath: string,
  event: TriggeredEvent,
): Promise<WorkflowRun> {
  const runId = ++lastRunId;
  const workRoot = mkdtempSync(path.join(host.workRoot, `run-${runId}-`));
  const artifactsDir = path.join(workRoot, 'artifacts');
  const source = readIfPresent(host, event.sha, workflowPath);
  const definition = source === undefined ? undefined : await parseWorkflowFile(workflowPath, source);
  if (definition === undefined || !triggers(definition.template.events, event)) {
    return { workflowPath, event, runId, triggered: false, jobs: [], conclusion: 'skipped', artifactsDir };
  }
  const run: RunInfo = {
    repository: host.repository,
    event,
    runId,
    runNumber: 1,
    workflowPath,
    workflowName: definition.name,
    apiUrl: host.apiUrl,
  };
  const head = (event.payload.pull_request as { head?: { repo?: { full_name?: string } } } | undefined)?.head;
  const fromFork = head !== undefined && head.repo?.full_name !== fullName(host.repository);
  const secrets = fromFork ? {} : Object.fromEntries(host.settings.secrets);
  const runner = { host, run, fromFork, services: { ...host.services, artifactsDir }, workRoot };
  const jobs = await runJobs(runner, { definition, keyPrefix: '', inputs: {}, secrets });
  const conclusion: Outcome = jobs.some((j) => j.result === 'failure') ? 'failure' : 'success';
  return { workflowPath, event, runId, triggered: true, jobs, conclusion, artifactsDir };
}

type Runner = {
  host: WorkflowHost;
  run: RunInfo;
  fromFork: boolean;
  services: RunnerServices;
  workRoot: string;
};

async function runJobs(runner: Runner, call: Call): Promise<JobRecord[]> {
  const records: JobRecord[] = [];
  const results = new Map<string, { result: Outcome; outputs: Record<string, string> }>();
  const pending = [...call.definition.template.jobs];
  while (pending.length > 0) {
    const index = pending.findIndex((job) => (job.needs ?? []).every((need) => results.has(need.value)));
    if (index < 0) throw new Error(`${call.definition.path}: jobs wait on each other (needs cycle)`);
    const [job] = pending.splice(index, 1) as [WorkflowJob];
    const needs: NeedResults = Object.fromEntries(
      (job.needs ?? []).map((n) => [n.value, results.get(n.value)]),
    );
    const jobRecords = await runOneJob(runner, call, job, needs);
    records.push(...jobRecords);
    const failed = jobRecords.some((r) => r.result === 'failure');
    const skipped = jobRecords.every((r) => r.result === 'skipped');
    results.set(job.id.value, {
      result: failed ? 'failure' : skipped ? 'skipped' : 'success',
      outputs: jobRecords.length === 1 ? { ...jobRecords[0]?.outputs } : {},
    });
  }
  return records;
}

async function runOneJob(
  runner: Runner,
  call: Call,
  job: WorkflowJob,
  needs: NeedResults,
): Promise<JobRecord[]> {
  const { host, run } = runner;
  const key = `${call.keyPrefix}${job.id.value}`;
  const repoVars = runner.fromFork ? {} : host.settings.variablesOf(undefined);
  const before = jobLevelScope({ run, jobId: job.id.value, needs, vars: repoVars, inputs: call.inputs });
  const envName = job.type === 'job' ? environmentName(job, before) : undefined;
  const { vars, secrets } = settingsFor({
    settings: host.settings,
    environment: envName,
    fromFork: runner.fromFork,
    secrets: call.secrets,
  });
  const scope = jobLevelScope({ run, jobId: job.id.value, needs, vars, inputs: call.inputs });
  const name = job.name ? evaluateString(job.name, scope) : job.id.value;
  const ended = (reason: string, result: Outcome = 'skipped'): JobRecord[] => [
    {
      key,
      id: job.id.value,
      name,
      result,
      reason,
      outputs: {},
      steps: [],
      environment: envName,
      summary: '',
    },
  ];
  if (!evaluateCondition(job.if, scope)) return ended(`if: ${job.if.expression} was false`);

  let permissions: Permissions;
  try {
    permissions = resolvePermissions({
      job: permissionsFrom(rawKey(rawJob(call.definition, job.id.value), 'permissions')),
      workflow: permissionsFrom(rawKey(call.definition.root, 'permissions')),
      fromFork: runner.fromFork,
      caller: call.callerPermissions,
    });
  } catch (error) {
    return ended(error instanceof Error ? error.message : String(error), 'failure');
  }
  if (job.type === 'reusableWorkflowJob') return callWorkflow(runner, call, job, scope, permissions, key);

  let reviewedBy: string | undefined;
  if (envName !== undefined) {
    const gate = await passEnvironmentGate({
      settings: host.settings,
      name: envName,
      ref: run.event.ref,
      runId: run.runId,
      actor: run.event.actor,
      jobKey: key,
      onReviewRequested: host.onReviewRequested,
    });
    if (!gate.open) return ended(gate.reason, 'failure');
    reviewedBy = gate.reviewedBy;
  }
  const token = host.settings.issueJobToken(permissions);
  const oidc = allows(permissions, 'id-token', 'write')
    ? host.oidc.requestVariables(jobIdentity(run, call.definition.path, envName))
    : {};
  const record = await runJob({
    run,
    key,
    id: job.id.value,
    name: call.keyPrefix ? `${call.keyPrefix}${name}` : name,
    definition: call.definition,
    job,
    contexts: {
      needs: scope.contexts.needs,
      vars,
      secrets: { ...secrets, GITHUB_TOKEN: token },
      inputs: call.inputs,
    },
    environment: envName,
    permissions,
    token,
    baseEnv: { ...host.runnerEnv, ...oidc },
    services: runner.services,
    standIns: host.standIns,
    workRoot: runner.workRoot,
    beforeStep: host.beforeStep,
    concurrency: job.concurrency ? evaluateToken(job.concurrency, scope) : undefined,
  });
  return [reviewedBy === undefined ? record : { ...record, reason: `approved by ${reviewedBy}` }];
}

async function callWorkflow(
  runner: Runner,
  call: Call,
  job: ReusableWorkflowJob,
  scope: ExpressionScope,
  permissions: Permissions,
  key: string,
): Promise<JobRecord[]> {
  const file = calledWorkflowPath(job);
  const definition = await parseWorkflowFile(file, runner.host.readFile(runner.run.event.sha, file));
  return runJobs(runner, {
    definition,
    keyPrefix: `${key} / `,
    inputs: callInputs(job, definition, scope),
    secrets: callSecrets(job, call.secrets, scope),
    callerPermissions: permissions,
  });
}

/** A commit without the workflow file starts no run of it. */
function readIfPresent(host: WorkflowHost, sha: string, file: string): string | undefined {
  try {
    return host.readFile(sha, file);
  } catch {
    return undefined;
  }
}
