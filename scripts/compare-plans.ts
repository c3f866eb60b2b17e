import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runWhenMain } from './lib/cli';
import { leafDifferences } from './lib/synth-diff';

/** The parts of `terraform show -json <plan>` the comparison reads. */
interface PlanJson {
  readonly terraform_version?: string;
  readonly configuration?: { provider_config?: Record<string, { version_constraint?: string }> };
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly mode?: string;
    readonly change: { readonly actions: readonly string[]; readonly after?: unknown };
  }[];
}

const PLAN_SUFFIX = '.plan.json';

function readPlans(dir: string): Map<string, PlanJson> {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith(PLAN_SUFFIX))
      .sort()
      .map((f) => [
        f.slice(0, -PLAN_SUFFIX.length),
        JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as PlanJson,
      ]),
  );
}

/** Every difference of one stack's plan from main's, as lines. */
export function planDifferences(main: PlanJson, next: PlanJson): string[] {
  const lines: string[] = [];
  const aws = (p: PlanJson) => p.configuration?.provider_config?.aws?.version_constraint;
  if (main.terraform_version !== next.terraform_version) {
    lines.push(`Terraform ${main.terraform_version} -> ${next.terraform_version}`);
  }
  if (aws(main) !== aws(next)) lines.push(`hashicorp/aws constraint ${aws(main)} -> ${aws(next)}`);
  const byAddress = (p: PlanJson) => new Map((p.resource_changes ?? []).map((rc) => [rc.address, rc]));
  const a = byAddress(main);
  const b = byAddress(next);
  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const before = a.get(address);
    const after = b.get(address);
    if (!before || !after) {
      lines.push(
        `\`${address}\` ${before ? 'only in main (gone on the next lane)' : 'only on the next lane'}`,
      );
      continue;
    }
    const actions = [before, after].map((rc) => rc.change.actions.join(','));
    if (actions[0] !== actions[1]) lines.push(`\`${address}\` action ${actions[0]} -> ${actions[1]}`);
    // A deleted or trimmed resource has no `after`: compare its attributes with none.
    for (const diff of leafDifferences(before.change.after ?? {}, after.change.after ?? {})) {
      lines.push(`\`${address}\` ${diff}`);
    }
  }
  return lines;
}

/** Markdown for the job summary: each stack, each difference of the next lane's plan from main's. */
export function comparePlans(
  mainDir: string,
  nextDir: string,
  title = 'Next lane: plan differences from main',
): string {
  const main = readPlans(mainDir);
  const next = readPlans(nextDir);
  const out = [`## ${title}`, ''];
  for (const stack of [...new Set([...main.keys(), ...next.keys()])].sort()) {
    const a = main.get(stack);
    const b = next.get(stack);
    if (!a || !b) {
      out.push(`### ${stack}`, '', `Planned ${a ? 'on main only' : 'on the next lane only'}.`, '');
      continue;
    }
    const lines = planDifferences(a, b);
    out.push(`### ${stack}: ${lines.length === 0 ? 'no difference' : `${lines.length} difference(s)`}`, '');
    out.push(...lines.map((line) => `- ${line}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

runWhenMain(
  module,
  () => {
    const [mainDir, nextDir] = process.argv.slice(2);
    if (!mainDir || !nextDir)
      throw new Error('usage: tsx scripts/compare-plans.ts <main plans dir> <next plans dir>');
    process.stdout.write(comparePlans(mainDir, nextDir));
  },
  'compare-plans',
);
