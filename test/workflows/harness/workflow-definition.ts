import type { WorkflowTemplate } from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { githubTooling } from './github-tooling';

/**
 * One workflow file, parsed and validated by `@actions/workflow-parser` as GitHub does before a run
 * starts (a file it rejects never runs: "Invalid workflow file"), then converted into its job and
 * step model. The converted model leaves out a few keys the runner needs (`with`,
 * `working-directory`, `shell`, job `permissions`, `timeout-minutes`), so the parsed token tree is
 * kept beside it and read for those.
 */
export interface WorkflowDefinition {
  /** The path in the repository, e.g. `.github/workflows/plan.yml`. */
  readonly path: string;
  /** `name:`, or the path when there is none (what `github.workflow` holds). */
  readonly name: string;
  readonly template: WorkflowTemplate;
  readonly root: MappingToken;
}

export class InvalidWorkflowError extends Error {}

export async function parseWorkflowFile(path: string, content: string): Promise<WorkflowDefinition> {
  const { parser } = githubTooling();
  const parsed = parser.parseWorkflow({ name: path, content }, new parser.NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0 || parsed.value === undefined) {
    throw new InvalidWorkflowError(
      `Invalid workflow file ${path}: ${errors.map((e) => e.message).join('; ')}`,
    );
  }
  const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors && template.errors.length > 0) {
    throw new InvalidWorkflowError(
      `Invalid workflow file ${path}: ${template.errors.map((e) => e.Message).join('; ')}`,
    );
  }
  const root = parsed.value.assertMapping('workflow');
  const name = root.find('name');
  return { path, name: name && parser.isString(name) ? name.value : path, template, root };
}

/** A key of a mapping in the parsed tree, if present. */
export function rawKey(mapping: MappingToken | undefined, key: string): TemplateToken | undefined {
  return mapping?.find(key);
}

/** The parsed mapping of one job, for keys the converted model drops. */
export function rawJob(definition: WorkflowDefinition, jobId: string): MappingToken {
  const jobs = rawKey(definition.root, 'jobs')?.assertMapping('jobs');
  const job = rawKey(jobs, jobId);
  if (job === undefined) throw new Error(`${definition.path} has no job ${jobId}`);
  return job.assertMapping(`job ${jobId}`);
}

/** The parsed mappings of a job's steps, in order (the converted steps follow the same order). */
export function rawSteps(definition: WorkflowDefinition, jobId: string): MappingToken[] {
  const steps = rawKey(rawJob(definition, jobId), 'steps');
  return steps ? [...steps.assertSequence('steps')].map((step) => step.assertMapping('step')) : [];
}
