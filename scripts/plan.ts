import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runWhenMain } from './lib/cli';
import { REPO_ROOT } from './lib/paths';
import {
  findTerraform,
  planStack,
  pluginDirFromEnv,
  synthesizedStacks,
  TERRAFORM_INSTALL_HINT,
} from './lib/terraform';
import { readPlan, renderPlanSummary, type StackPlan } from './plan-summary';

/**
 * `npm run plan [-- <stack>...]`: for each synthesized stack, terraform init, validate, plan -out
 * and show, into cdktf.out/plans/<stack>.{tfplan,plan.json,plan.txt}; then one summary.md for all.
 * With TF_PLUGIN_DIR set it plans offline against that provider mirror.
 */
export const CDKTF_OUT = path.join(REPO_ROOT, 'cdktf.out');
export const PLANS_DIR = path.join(CDKTF_OUT, 'plans');
export const SUMMARY_FILE = path.join(PLANS_DIR, 'summary.md');

function main(argv: readonly string[]): void {
  const terraform = findTerraform();
  if (terraform === undefined) throw new Error(`terraform not found. ${TERRAFORM_INSTALL_HINT}`);
  const pluginDir = pluginDirFromEnv();

  const available = synthesizedStacks(CDKTF_OUT);
  const unknown = argv.filter((name) => !available.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown stack(s): ${unknown.join(', ')}. Synthesized: ${available.map((s) => s.name).join(', ')}`,
    );
  }
  const selected = argv.length > 0 ? available.filter((s) => argv.includes(s.name)) : available;

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
