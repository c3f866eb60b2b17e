import path from 'node:path';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/index';
import {
  ActionFailure,
  type ActionRun,
  type ActionStandIn,
  type JobFacts,
  type RunnerServices,
} from './actions/action-stand-in';
import { type ExpressionScope, evaluateString, evaluateStringMap } from './expressions';
import { githubTooling } from './github-tooling';
import { runScript } from './run-script';
import { rawKey } from './workflow-definition';

/**
 * One step's execution, once the job runner has decided it runs and built its environment: a
 * `run:` script through the shell, or a `uses:` action through its stand-in. A `uses:` with no
 * stand-in fails the step (as an action that cannot be downloaded does), so nothing is skipped
 * silently.
 */
export interface StepExecution {
  readonly raw: MappingToken;
  readonly scope: ExpressionScope;
  readonly env: Readonly<Record<string, string>>;
  readonly job: JobFacts;
  readonly services: RunnerServices;
  readonly standIns: ReadonlyMap<string, ActionStandIn>;
}

export interface StepResult {
  readonly ok: boolean;
  readonly log: string;
  readonly run?: string;
  readonly uses?: string;
}

export async function executeStep(step: StepExecution): Promise<StepResult> {
  const { parser } = githubTooling();
  const runToken = rawKey(step.raw, 'run');
  if (runToken !== undefined) {
    const script = evaluateString(runToken, step.scope);
    const workingDirectory = rawKey(step.raw, 'working-directory');
    const shell = rawKey(step.raw, 'shell');
    const result = await runScript({
      script,
      shell: shell && parser.isString(shell) ? shell.value : undefined,
      workingDirectory: path.resolve(
        step.job.workspace,
        workingDirectory ? evaluateString(workingDirectory, step.scope) : '.',
      ),
      env: step.env,
      tempDir: step.job.temp,
    });
    const exit = result.exitCode === 0 ? '' : `Error: Process completed with exit code ${result.exitCode}.\n`;
    return { ok: result.exitCode === 0, log: result.output + exit, run: script };
  }
  const uses = evaluateString(rawKey(step.raw, 'uses') as MappingToken, step.scope);
  const action = uses.split('@')[0] as string;
  const standIn = step.standIns.get(action.toLowerCase());
  if (standIn === undefined) {
    return { ok: false, uses, log: `Error: the harness has no stand-in for ${uses}\n` };
  }
  const given = evaluateStringMap(rawKey(step.raw, 'with'), step.scope);
  const lines: string[] = [];
  const unexpected = Object.keys(given).filter((name) => !(name in standIn.inputs));
  if (unexpected.length > 0) {
    lines.push(`##[warning]Unexpected input(s) '${unexpected.join("', '")}'`);
  }
  const inputs: Record<string, string> = {};
  for (const [name, fallback] of Object.entries(standIn.inputs)) {
    const value = given[name] ?? fallback;
    if (value !== undefined) inputs[name] = value;
  }
  const run: ActionRun = {
    inputs,
    env: { ...step.env, ...inputEnv(inputs) },
    job: step.job,
    services: step.services,
    log: (line) => lines.push(line),
  };
  try {
    await standIn.run(run);
    return { ok: true, uses, log: `${lines.join('\n')}\n` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unexpectedError = error instanceof ActionFailure ? '' : ' (unexpected error in the stand-in)';
    lines.push(`::error::${message}${unexpectedError}`);
    return { ok: false, uses, log: `${lines.join('\n')}\n` };
  }
}

/** The runner hands inputs to an action as INPUT_<NAME> variables (spaces as underscores, upper case). */
function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
}
