import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { synthesizedStacks } from '../../../scripts/lib/synthesized-stacks';

/** Stacks with a saved plan, by their `<stack>.plan.json` files. */
export function plannedStacks(plansDir: string): string[] {
  if (!existsSync(plansDir)) return [];
  return readdirSync(plansDir)
    .filter((file) => file.endsWith('.plan.json'))
    .map((file) => file.slice(0, -'.plan.json'.length))
    .sort();
}

/** Stacks from the cdktf manifest, for the fork case where nothing was planned; none before a synth. */
export function synthesizedStackNames(cdktfOut: string): string[] {
  if (!existsSync(path.join(cdktfOut, 'manifest.json'))) return [];
  return synthesizedStacks(cdktfOut).map((stack) => stack.name);
}
