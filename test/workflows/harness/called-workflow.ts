import type { ReusableWorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import { type ExpressionScope, evaluateToken } from './expressions';
import type { WorkflowDefinition } from './workflow-definition';

/**
 * A job that calls a workflow in the same repository (`uses: ./.github/workflows/x.yml`): the
 * called file is read at the run's commit, must declare `on: workflow_call`, and gets `inputs`
 * from the caller's `with:` (typed as declared, defaults filled in, a missing required input
 * refused) and `secrets` mapped or inherited.
 */
export function calledWorkflowPath(job: ReusableWorkflowJob): string {
  const ref = job.ref.value;
  if (!ref.startsWith('./')) {
    throw new Error(`${job.id.value}: the harness runs only local reusable workflows, not ${ref}`);
  }
  return ref.slice(2).split('@')[0] as string;
}

export function callInputs(
  job: ReusableWorkflowJob,
  called: WorkflowDefinition,
  scope: ExpressionScope,
): Record<string, unknown> {
  const declared = called.template.events.workflow_call;
  if (declared === undefined)
    throw new Error(`${called.path} is not a reusable workflow (no on: workflow_call)`);
  const given = job['input-values']
    ? (evaluateToken(job['input-values'], scope) as Record<string, unknown>)
    : {};
  const inputs: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(declared.inputs ?? {})) {
    const value = given[name] ?? (typeof definition.default === 'object' ? undefined : definition.default);
    if (value === undefined && definition.required) {
      throw new Error(`${job.id.value}: input ${name} is required by ${called.path}`);
    }
    inputs[name] =
      definition.type === 'boolean'
        ? value === true || value === 'true'
        : definition.type === ('number' as string)
          ? Number(value ?? 0)
          : String(value ?? '');
  }
  const unknown = Object.keys(given).filter((name) => !(name in (declared.inputs ?? {})));
  if (unknown.length > 0)
    throw new Error(`${job.id.value}: ${called.path} has no input ${unknown.join(', ')}`);
  return inputs;
}

export function callSecrets(
  job: ReusableWorkflowJob,
  callerSecrets: Record<string, string>,
  scope: ExpressionScope,
): Record<string, string> {
  if (job['inherit-secrets']) return callerSecrets;
  const mapped = job['secret-values']
    ? (evaluateToken(job['secret-values'], scope) as Record<string, string>)
    : {};
  return { GITHUB_TOKEN: callerSecrets.GITHUB_TOKEN ?? '', ...mapped };
}
