import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Stacks with a saved plan, by their `<stack>.plan.json` files. */
export function plannedStacks(plansDir: string): string[] {
  if (!existsSync(plansDir)) return [];
  return readdirSync(plansDir)
    .filter((file) => file.endsWith('.plan.json'))
    .map((file) => file.slice(0, -'.plan.json'.length))
    .sort();
}

/** Stacks from the cdktf manifest, for the fork case where nothing was planned. */
export function synthesizedStackNames(cdktfOut: string): string[] {
  const manifest = path.join(cdktfOut, 'manifest.json');
  if (!existsSync(manifest)) return [];
  return Object.keys((JSON.parse(readFileSync(manifest, 'utf8')) as { stacks?: object }).stacks ?? {});
}
