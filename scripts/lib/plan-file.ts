import type { TerraformPlan } from '../plan-summary';

/**
 * A saved plan (`terraform show -json`), checked before anything reads it: the pull request's own
 * code produced it, and a half-written file or an unexpected shape must end in one line that names
 * the file and what is wrong, not in `Cannot read properties of undefined`.
 */
export class PlanFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'PlanFileError';
  }
}

const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** What is wrong with the plan's shape, first problem first; empty when it can be rendered. */
export function planProblems(plan: unknown): string[] {
  if (!isObject(plan)) return [`the plan is ${kindOf(plan)}, not a JSON object`];
  const problems: string[] = [];
  const changes = plan.resource_changes;
  if (changes !== undefined && !Array.isArray(changes)) {
    problems.push(`resource_changes is ${kindOf(changes)}, not an array`);
  }
  for (const [i, rc] of (Array.isArray(changes) ? changes : []).entries()) {
    const at = `resource_changes[${i}]`;
    if (!isObject(rc)) {
      problems.push(`${at} is ${kindOf(rc)}, not an object`);
      continue;
    }
    for (const key of ['address', 'type'] as const) {
      if (typeof rc[key] !== 'string')
        problems.push(`${at}.${key} is ${rc[key] === undefined ? 'missing' : kindOf(rc[key])}`);
    }
    if (!isObject(rc.change))
      problems.push(`${at}.change is ${rc.change === undefined ? 'missing' : kindOf(rc.change)}`);
    else if (!isStringArray(rc.change.actions))
      problems.push(`${at}.change.actions is not a list of actions`);
    else if (
      rc.change.replace_paths !== undefined &&
      !(Array.isArray(rc.change.replace_paths) && rc.change.replace_paths.every(Array.isArray))
    ) {
      problems.push(`${at}.change.replace_paths is not a list of paths`);
    }
    if (rc.action_reason !== undefined && typeof rc.action_reason !== 'string') {
      problems.push(`${at}.action_reason is ${kindOf(rc.action_reason)}`);
    }
  }
  const outputs = plan.output_changes;
  if (outputs !== undefined && !isObject(outputs))
    problems.push(`output_changes is ${kindOf(outputs)}, not an object`);
  for (const [name, oc] of Object.entries(isObject(outputs) ? outputs : {})) {
    if (!isObject(oc) || !isStringArray(oc.actions))
      problems.push(`output_changes[${JSON.stringify(name)}].actions is not a list of actions`);
  }
  return problems;
}

/** Parses and checks a plan file's text; throws a PlanFileError naming `file`. */
export function parsePlan(text: string, file: string): TerraformPlan {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PlanFileError(file, `not valid JSON (${text.trim() === '' ? 'the file is empty' : reason})`);
  }
  const [first, ...rest] = planProblems(plan);
  if (first !== undefined) {
    throw new PlanFileError(
      file,
      `${first}${rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : ''}`,
    );
  }
  return plan as TerraformPlan;
}
