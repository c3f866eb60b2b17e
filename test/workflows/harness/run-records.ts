import type { TriggeredEvent } from './events';
import type { Permissions } from './permissions';

/** What a run leaves behind for a test to read: every job, every step, what each saw and did. */

export type Outcome = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRecord {
  /** The step's `id`, or the one the parser made up (`__run_2`, `__actions_checkout`). */
  readonly id: string;
  readonly name: string;
  readonly uses?: string;
  /** The script as run, expressions substituted. */
  readonly run?: string;
  /** Before continue-on-error (`steps.<id>.outcome`). */
  readonly outcome: Outcome;
  /** After continue-on-error (`steps.<id>.conclusion`). */
  readonly conclusion: Outcome;
  readonly outputs: Readonly<Record<string, string>>;
  readonly log: string;
  /** The environment the step's process (or action) ran with. */
  readonly env: Readonly<Record<string, string>>;
  readonly durationMs: number;
}

export interface JobRecord {
  /** `plan`, or `dev / deploy` for a job of a called workflow. */
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly result: Outcome;
  /** Why the job never ran a step: its `if:`, a failed need, an environment rule or a reviewer. */
  readonly reason?: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly steps: readonly StepRecord[];
  readonly environment?: string;
  readonly permissions?: Permissions;
  /** `concurrency:` as evaluated; recorded only, never enforced. */
  readonly concurrency?: unknown;
  readonly workspace?: string;
  /** Everything the steps wrote to GITHUB_STEP_SUMMARY. */
  readonly summary: string;
}

export interface WorkflowRun {
  readonly workflowPath: string;
  readonly event: TriggeredEvent;
  readonly runId: number;
  /** False when the workflow's `on:` does not match the event: no run at all. */
  readonly triggered: boolean;
  readonly jobs: readonly JobRecord[];
  readonly conclusion: Outcome;
  /** upload-artifact's uploads, one folder per artifact name. */
  readonly artifactsDir: string;
}

export function jobOf(run: WorkflowRun, key: string): JobRecord {
  const job = run.jobs.find((j) => j.key === key);
  if (!job) throw new Error(`no job ${key} in the run; jobs: ${run.jobs.map((j) => j.key).join(', ')}`);
  return job;
}

export function stepOf(job: JobRecord, match: string | RegExp): StepRecord {
  const step = job.steps.find((s) =>
    typeof match === 'string' ? s.name === match : match.test(s.name) || match.test(s.run ?? ''),
  );
  if (!step)
    throw new Error(`no step ${String(match)} in ${job.key}: ${job.steps.map((s) => s.name).join(' | ')}`);
  return step;
}

/** One line for a run: each job's result and how long its steps took. */
export function runLine(run: WorkflowRun): string {
  const jobs = run.jobs.map((job) => {
    const seconds = job.steps.reduce((sum, step) => sum + step.durationMs, 0) / 1000;
    return `${job.key} ${job.result}${job.steps.length > 0 ? ` ${seconds.toFixed(0)} s` : ''}`;
  });
  return `${run.workflowPath.split('/').pop()} on ${run.event.name} ${run.event.ref}: ${run.triggered ? jobs.join('; ') : 'not triggered'}`;
}

/** One line per job and step, with the failing step's log tail: the message of a failed check. */
export function describeRun(run: WorkflowRun): string {
  const lines = run.jobs.flatMap((job) => [
    `${job.key}: ${job.result}${job.reason ? ` (${job.reason})` : ''}`,
    ...job.steps.map(
      (s) => `  ${s.conclusion.padEnd(8)} ${(s.durationMs / 1000).toFixed(1).padStart(6)} s  ${s.name}`,
    ),
    ...job.steps.filter((s) => s.outcome === 'failure').map((s) => `--- ${s.name}:\n${s.log.slice(-3000)}`),
  ]);
  return lines.join('\n');
}
