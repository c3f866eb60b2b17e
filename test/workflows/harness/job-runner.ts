import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Job } from '@actions/workflow-parser/model/workflow-template';
import type { ActionStandIn, JobFacts, RunnerServices } from './actions/action-stand-in';
import {
  type ExpressionScope,
  evaluateCondition,
  evaluateString,
  evaluateStringMap,
  type StatusOfRun,
} from './expressions';
import { parseKeyValueFile, parsePathFile } from './file-commands';
import {
  defaultEnvironment,
  githubContext,
  type JobPaths,
  type RunInfo,
  runnerContext,
} from './github-context';
import type { Permissions } from './permissions';
import type { JobRecord, Outcome, StepRecord } from './run-records';
import { executeStep } from './step-runner';
import { type rawJob, rawKey, rawSteps, type WorkflowDefinition } from './workflow-definition';

/**
 * One job on a fresh runner: its own workspace, temp and home folders; steps in order, each after
 * its `if:` (default `success()`); `env` layered workflow < job < GITHUB_ENV < step, with the
 * default GITHUB_* and RUNNER_* variables on top; GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH and
 * GITHUB_STEP_SUMMARY read after each step; a failed step fails the job unless it has
 * `continue-on-error`, and only `always()`/`failure()` steps run after that; job outputs evaluated
 * at the end.
 */
export interface JobSpec {
  readonly run: RunInfo;
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly definition: WorkflowDefinition;
  readonly job: Job;
  /** `vars`, `secrets`, `inputs`, `needs` as this job sees them. */
  readonly contexts: Readonly<Record<string, unknown>>;
  readonly environment?: string;
  readonly permissions: Permissions;
  readonly token: string;
  /** The runner's own environment: PATH, HOME and what the machine adds (see workflow-host.ts). */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly services: RunnerServices;
  readonly standIns: ReadonlyMap<string, ActionStandIn>;
  readonly workRoot: string;
  readonly concurrency?: unknown;
  /** This machine's own preparation before each step that runs (see WorkflowHost.beforeStep). */
  readonly beforeStep?: (workspace: string) => void;
}

function jobPaths(root: string, repo: string): JobPaths & { home: string } {
  const paths = {
    workspace: path.join(root, 'work', repo, repo),
    temp: path.join(root, 'temp'),
    toolCache: path.join(root, 'tool-cache'),
    home: path.join(root, 'home'),
    eventPath: path.join(root, 'workflow', 'event.json'),
  };
  for (const dir of [paths.workspace, paths.temp, paths.toolCache, paths.home, path.dirname(paths.eventPath)])
    mkdirSync(dir, { recursive: true });
  return paths;
}

export async function runJob(spec: JobSpec): Promise<JobRecord> {
  const paths = jobPaths(
    path.join(spec.workRoot, spec.key.replace(/[^\w.-]+/g, '_')),
    spec.run.repository.name,
  );
  writeFileSync(paths.eventPath, JSON.stringify(spec.run.event.payload, null, 2));
  const github = githubContext(spec.run, { id: spec.id, token: spec.token, paths });
  const defaults = defaultEnvironment(github, paths);
  const base = { github, runner: runnerContext(paths), strategy: {}, matrix: {}, ...spec.contexts };
  const workflowEnv = evaluateStringMap(spec.definition.template.env, { contexts: { ...base, env: {} } });
  const jobEnv = evaluateStringMap(spec.job.env, { contexts: { ...base, env: workflowEnv } });
  const exported: Record<string, string> = {};
  const addedPaths: string[] = [];
  const stepsContext: Record<
    string,
    { outputs: Record<string, string>; outcome: Outcome; conclusion: Outcome }
  > = {};
  const records: StepRecord[] = [];
  const summary: string[] = [];
  const facts: JobFacts = {
    ...paths,
    event: spec.run.event,
    repository: spec.run.repository,
    token: spec.token,
    permissions: spec.permissions,
  };
  let failed = false;
  const raws = rawSteps(spec.definition, spec.id);

  for (const [index, step] of spec.job.steps.entries()) {
    const raw = raws[index];
    if (raw === undefined || !('run' in step || 'uses' in step)) {
      throw new Error(`${spec.key}: step ${index} is neither a run nor a uses step`);
    }
    const status: StatusOfRun = { success: !failed, failure: failed, cancelled: false };
    const jobContext = { status: failed ? 'failure' : 'success', container: {}, services: {} };
    const envSoFar = { ...workflowEnv, ...jobEnv, ...exported };
    const scope = (env: Record<string, string>): ExpressionScope => ({
      contexts: { ...base, job: jobContext, steps: stepsContext, env },
      status,
    });
    const name = step.name
      ? evaluateString(step.name, scope(envSoFar))
      : defaultStepName(raw, scope(envSoFar));
    if (!evaluateCondition(step.if, scope(envSoFar))) {
      records.push({
        id: step.id,
        name,
        outcome: 'skipped',
        conclusion: 'skipped',
        outputs: {},
        log: '',
        env: {},
        durationMs: 0,
      });
      stepsContext[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      continue;
    }
    const stepEnv = evaluateStringMap(step.env, scope(envSoFar));
    const envContext = { ...envSoFar, ...stepEnv };
    const files = stepFiles(paths.temp, index);
    const processEnv: Record<string, string> = {
      ...spec.baseEnv,
      HOME: paths.home,
      ...envContext,
      ...defaults,
      ...files,
      GITHUB_ACTION: step.id,
    };
    processEnv.PATH = [...addedPaths, processEnv.PATH ?? ''].join(path.delimiter);

    const started = Date.now();
    spec.beforeStep?.(paths.workspace);
    const result = await executeStep({
      raw,
      scope: scope(envContext),
      env: processEnv,
      job: facts,
      services: spec.services,
      standIns: spec.standIns,
    });
    let ok = result.ok;
    let log = result.log;
    let outputs: Record<string, string> = {};
    try {
      outputs = parseKeyValueFile(files.GITHUB_OUTPUT);
      Object.assign(exported, parseKeyValueFile(files.GITHUB_ENV));
      addedPaths.unshift(...parsePathFile(files.GITHUB_PATH).reverse());
      summary.push(readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'));
    } catch (error) {
      ok = false;
      log += `Error: ${error instanceof Error ? error.message : String(error)}\n`;
    }
    const outcome: Outcome = ok ? 'success' : 'failure';
    const continueOnError =
      step['continue-on-error'] !== undefined &&
      (typeof step['continue-on-error'] === 'boolean'
        ? step['continue-on-error']
        : evaluateCondition(step['continue-on-error'], scope(envContext)));
    const conclusion: Outcome = ok || continueOnError ? 'success' : 'failure';
    failed ||= conclusion === 'failure';
    stepsContext[step.id] = { outputs, outcome, conclusion };
    records.push({
      id: step.id,
      name,
      uses: result.uses,
      run: result.run,
      outcome,
      conclusion,
      outputs,
      log,
      env: processEnv,
      durationMs: Date.now() - started,
    });
  }

  const outputs = evaluateStringMap(spec.job.outputs, {
    contexts: { ...base, job: {}, steps: stepsContext, env: { ...workflowEnv, ...jobEnv } },
  });
  return {
    key: spec.key,
    id: spec.id,
    name: spec.name,
    result: failed ? 'failure' : 'success',
    outputs,
    steps: records,
    environment: spec.environment,
    permissions: spec.permissions,
    concurrency: spec.concurrency,
    workspace: paths.workspace,
    summary: summary.join(''),
  };
}

/** The runner's fresh file-command files for one step. */
function stepFiles(temp: string, index: number) {
  const dir = path.join(temp, '_runner_file_commands', String(index));
  mkdirSync(dir, { recursive: true });
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'set_output'),
    GITHUB_ENV: path.join(dir, 'set_env'),
    GITHUB_PATH: path.join(dir, 'add_path'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'step_summary'),
  };
  for (const file of Object.values(files)) appendFileSync(file, '');
  return files;
}

/** GitHub's display name for an unnamed step: `Run <first line>` or `Run <action>`. */
function defaultStepName(raw: ReturnType<typeof rawJob>, scope: ExpressionScope): string {
  const run = rawKey(raw, 'run');
  if (run) return `Run ${evaluateString(run, scope).split('\n')[0]}`;
  const uses = rawKey(raw, 'uses');
  return `Run ${uses ? evaluateString(uses, scope) : 'step'}`;
}
