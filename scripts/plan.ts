import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runWhenMain } from './lib/cli';
import { findTerraform, TERRAFORM_INSTALL_HINT } from './lib/find-terraform';
import { pluginDirFromEnv } from './lib/offline-plan';
import { REPO_ROOT } from './lib/paths';
import { planStack } from './lib/plan-stack';
import { synthesizedStacks } from './lib/synthesized-stacks';
import { readPlan, renderPlanSummary, type StackPlan } from './plan-summary';

/**
 * `npm run plan [-- [--no-lock] [--lock-timeout=<duration>] <stack>...]`: for each synthesized
 * stack, terraform init, validate, plan -out and show, into
 * cdktf.out/plans/<stack>.{tfplan,plan.json,plan.txt}; then one summary.md for all.
 * With TF_PLUGIN_DIR set it plans offline against that provider mirror.
 *
 * `--no-lock` is for pull-request plans, which write no state: they must neither wait for nor hold
 * the lock a deploy needs. `--lock-timeout` is for deploys, which should queue behind another holder.
 */
export const CDKTF_OUT = path.join(REPO_ROOT, 'cdktf.out');
export const PLANS_DIR = path.join(CDKTF_OUT, 'plans');
export const SUMMARY_FILE = path.join(PLANS_DIR, 'summary.md');

export interface PlanArgs {
  readonly stacks: readonly string[];
  readonly lock: boolean;
  readonly lockTimeout?: string;
}

/** Terraform durations: a number and a unit, e.g. `90s` or `10m`. */
const DURATION = /^\d+(ms|s|m|h)$/;

export function parsePlanArgs(argv: readonly string[]): PlanArgs {
  let lock = true;
  let lockTimeout: string | undefined;
  const stacks: string[] = [];
  for (const arg of argv) {
    if (arg === '--no-lock') lock = false;
    else if (arg.startsWith('--lock-timeout=')) {
      lockTimeout = arg.slice('--lock-timeout='.length);
      if (!DURATION.test(lockTimeout)) {
        throw new Error(`--lock-timeout must be a duration such as 10m, got ${JSON.stringify(lockTimeout)}`);
      }
    } else if (arg.startsWith('-'))
      throw new Error(`unknown option ${arg}; use --no-lock or --lock-timeout=<duration>`);
    else stacks.push(arg);
  }
  if (!lock && lockTimeout !== undefined) throw new Error('--no-lock and --lock-timeout exclude each other');
  return { stacks, lock, lockTimeout };
}

function main(argv: readonly string[]): void {
  const args = parsePlanArgs(argv);
  const terraform = findTerraform();
  if (terraform === undefined) throw new Error(`terraform not found. ${TERRAFORM_INSTALL_HINT}`);
  const pluginDir = pluginDirFromEnv();

  const available = synthesizedStacks(CDKTF_OUT);
  const unknown = args.stacks.filter((name) => !available.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown stack(s): ${unknown.join(', ')}. Synthesized: ${available.map((s) => s.name).join(', ')}`,
    );
  }
  const selected = args.stacks.length > 0 ? available.filter((s) => args.stacks.includes(s.name)) : available;

  console.error(
    pluginDir === undefined
      ? 'Planning against AWS with the credentials in the environment.'
      : `Planning offline: providers from ${pluginDir}, dummy credentials, local state, no refresh.`,
  );
  const plans: StackPlan[] = [];
  for (const stack of selected) {
    const files = planStack({
      terraform,
      stackDir: stack.dir,
      stackName: stack.name,
      plansDir: PLANS_DIR,
      pluginDir,
      lock: args.lock,
      lockTimeout: args.lockTimeout,
      log: (line) => console.error(line),
    });
    plans.push({ name: stack.name, plan: readPlan(files.json) });
  }

  const summary = renderPlanSummary(plans);
  writeFileSync(SUMMARY_FILE, summary);
  console.log(summary);
  console.error(`Plans and summary written to ${path.relative(process.cwd(), PLANS_DIR) || '.'}`);
}

runWhenMain(module, () => main(process.argv.slice(2)));
