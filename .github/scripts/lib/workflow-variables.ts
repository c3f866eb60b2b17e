import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Which configuration variables (`vars.NAME`) the workflows read, and where each read happens:
 * in a job bound to GitHub Environments (which may set the variable themselves) or in one that
 * sees repository (and organization) variables only. Read from the workflow files, so the list
 * cannot fall behind them. A variable read only as `vars.NAME || …` is optional.
 */
export interface VariableRead {
  readonly workflow: string;
  readonly job: string;
  /** The Environments the job runs in; undefined when it runs in none. */
  readonly environments?: readonly string[];
}

export interface WorkflowVariable {
  readonly name: string;
  readonly optional: boolean;
  readonly reads: readonly VariableRead[];
}

/** The Environments each job deploys to, with the triggers of the jobs that call it. */
export interface EnvironmentUse {
  readonly name: string;
  /** The `if:` of each calling job, to tell a release deploy from a push deploy. */
  readonly callerConditions: readonly string[];
}

interface Job {
  readonly environment?: string | { readonly name: string };
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly if?: string;
}
interface Workflow {
  readonly file: string;
  readonly document: { readonly jobs?: Record<string, Job> };
}

export function loadWorkflowFiles(dir: string): Workflow[] {
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => ({ file, document: parse(readFileSync(path.join(dir, file), 'utf8')) ?? {} }));
}

const VARIABLE = /\bvars\.([A-Za-z_][A-Za-z0-9_]*)(\s*\|\|)?/g;

/** Every `vars.NAME` inside `${{ }}`, and anywhere in an `if:` (an expression even without braces). */
function variableReads(value: unknown, key = ''): { name: string; optional: boolean }[] {
  if (typeof value === 'string') {
    const expressions =
      key === 'if' ? [value] : [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1] ?? '');
    return expressions.flatMap((expression) =>
      [...expression.matchAll(VARIABLE)].map((m) => ({ name: m[1] as string, optional: m[2] !== undefined })),
    );
  }
  if (Array.isArray(value)) return value.flatMap((item) => variableReads(item));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => variableReads(v, k));
  }
  return [];
}

/** A job's Environments: its own name, or the values callers pass to the input it names. */
function environmentsOf(workflow: Workflow, job: Job, all: readonly Workflow[]): string[] | undefined {
  const environment = typeof job.environment === 'object' ? job.environment.name : job.environment;
  if (environment === undefined) return undefined;
  const input = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/.exec(environment)?.[1];
  if (input === undefined) return [environment];
  return callersOf(workflow, all).map(({ job: caller }) => String(caller.with?.[input]));
}

function callersOf(workflow: Workflow, all: readonly Workflow[]): { job: Job }[] {
  return all.flatMap((w) =>
    Object.values(w.document.jobs ?? {})
      .filter((job) => job.uses === `./.github/workflows/${workflow.file}`)
      .map((job) => ({ job })),
  );
}

export function workflowVariables(workflows: readonly Workflow[]): WorkflowVariable[] {
  const found = new Map<string, { optional: boolean; reads: VariableRead[] }>();
  for (const workflow of workflows) {
    const { jobs = {}, ...rest } = workflow.document;
    const parts: [string, unknown, string[] | undefined][] = [
      ['(workflow)', rest, undefined],
      ...Object.entries(jobs).map(([name, job]): [string, unknown, string[] | undefined] => [
        name,
        job,
        environmentsOf(workflow, job, workflows),
      ]),
    ];
    for (const [job, value, environments] of parts) {
      for (const { name, optional } of variableReads(value)) {
        const entry = found.get(name) ?? { optional: true, reads: [] };
        entry.optional &&= optional;
        if (!entry.reads.some((r) => r.workflow === workflow.file && r.job === job)) {
          entry.reads.push({ workflow: workflow.file, job, ...(environments && { environments }) });
        }
        found.set(name, entry);
      }
    }
  }
  return [...found.entries()]
    .map(([name, { optional, reads }]) => ({ name, optional, reads }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every Environment a job deploys to, with the `if:` of the jobs that call it for that Environment. */
export function environmentUses(workflows: readonly Workflow[]): EnvironmentUse[] {
  const uses = new Map<string, string[]>();
  for (const workflow of workflows) {
    for (const job of Object.values(workflow.document.jobs ?? {})) {
      for (const name of environmentsOf(workflow, job, workflows) ?? []) {
        const callers = callersOf(workflow, workflows).filter(({ job: caller }) =>
          Object.values(caller.with ?? {}).includes(name),
        );
        const conditions = [...callers.map(({ job: caller }) => caller.if ?? ''), job.if ?? ''];
        uses.set(name, [...(uses.get(name) ?? []), ...conditions.filter(Boolean)]);
      }
    }
  }
  return [...uses.entries()].map(([name, callerConditions]) => ({ name, callerConditions }));
}
