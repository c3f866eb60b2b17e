import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/repo-root';

export const WORKFLOWS_DIR = path.join(REPO_ROOT, '.github', 'workflows');

export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}

export interface Job {
  readonly if?: string;
  readonly environment?: string | { name: string };
  readonly permissions?: Record<string, string> | string;
  readonly concurrency?: { group: string; 'cancel-in-progress'?: boolean | string } | string;
  readonly outputs?: Record<string, string>;
  readonly steps?: readonly Step[];
}

export interface Workflow {
  readonly file: string;
  readonly source: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string> | string;
  readonly jobs: Record<string, Job>;
}

/** Every workflow file, read and parsed (`on:` stays a string key: the yaml package uses YAML 1.2). */
export function loadWorkflows(): Workflow[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const source = readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8');
      return { file, source, ...(parse(source) as Omit<Workflow, 'file' | 'source'>) };
    });
}

export function loadWorkflow(file: string): Workflow {
  const found = loadWorkflows().find((workflow) => workflow.file === file);
  if (!found) throw new Error(`no workflow ${file} in ${WORKFLOWS_DIR}`);
  return found;
}

export function allSteps(workflow: Workflow): { job: string; step: Step }[] {
  return Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
    (steps ?? []).map((step) => ({ job, step })),
  );
}
