import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { runTerraform } from '../../scripts/lib/run-terraform';
import type { EmulatorClients } from './emulated-aws';
import type { PolicyDocument } from './iam-evaluator';

/** One resource change of `terraform show -json`. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly mode: 'managed' | 'data';
  readonly change: {
    readonly actions: string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
  };
}

export interface Plan {
  readonly resource_changes?: PlannedChange[];
}

/** `terraform plan -out` then `show -json`, in a stack folder; throws with Terraform's output on failure. */
export function planJson(stackDir: string, env: NodeJS.ProcessEnv, extraArgs: readonly string[] = []): Plan {
  const out = path.join(stackDir, 'emulated.tfplan');
  const run = { terraform: 'terraform', cwd: stackDir, env };
  runTerraform(run, ['plan', '-input=false', '-no-color', `-out=${out}`, ...extraArgs]);
  return JSON.parse(runTerraform(run, ['show', '-json', out])) as Plan;
}

export function applySavedPlan(stackDir: string, env: NodeJS.ProcessEnv): void {
  runTerraform({ terraform: 'terraform', cwd: stackDir, env }, [
    'apply',
    '-input=false',
    '-no-color',
    path.join(stackDir, 'emulated.tfplan'),
  ]);
}

/** Managed resources the plan would touch, with their actions; optionally without the emulator's gaps. */
export function changesOf(
  plan: Plan,
  options: { ignoreEmulatorGaps?: boolean } = {},
): { address: string; actions: string }[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed' && rc.change.actions.join() !== 'no-op')
    .filter((rc) => !(options.ignoreEmulatorGaps && onlyEmulatorGaps(rc)))
    .map((rc) => ({ address: rc.address, actions: rc.change.actions.join(',') }));
}

function onlyEmulatorGaps(change: PlannedChange): boolean {
  const gaps = EMULATOR_GAPS.filter((gap) => gap.type === change.type).map((gap) => gap.attribute);
  return (
    change.change.actions.join() === 'update' && changedAttributes(change).every((a) => gaps.includes(a))
  );
}

/** Top-level attributes whose planned value differs from the current one. */
export function changedAttributes(change: PlannedChange): string[] {
  const before = change.change.before ?? {};
  const after = change.change.after ?? {};
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .sort();
}

/**
 * What moto does not keep, so a plan right after a deploy shows it as a change. Each entry is an
 * attribute the provider sends and reads back; on AWS the plan is empty.
 */
export const EMULATOR_GAPS: readonly { type: string; attribute: string; why: string }[] = [
  {
    type: 'aws_lambda_function',
    attribute: 'logging_config',
    why: "moto's CreateFunction and UpdateFunctionConfiguration drop LoggingConfig, so it reads back empty",
  },
];

/** The changes a plan proposes beyond the emulator's known gaps. */
export function realDrift(plan: Plan): string[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed' && rc.change.actions.join() !== 'no-op')
    .filter((rc) => !onlyEmulatorGaps(rc))
    .map((rc) => `${rc.address} (${rc.change.actions.join(',')}: ${changedAttributes(rc).join(', ')})`);
}

/** The inline policies of a role, as deployed. */
export async function rolePolicies(clients: EmulatorClients, roleName: string): Promise<PolicyDocument[]> {
  const { PolicyNames = [] } = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
  return Promise.all(
    PolicyNames.map(async (PolicyName) => {
      const { PolicyDocument: document = '{}' } = await clients.iam.send(
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName }),
      );
      return JSON.parse(decodeURIComponent(document)) as PolicyDocument;
    }),
  );
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
