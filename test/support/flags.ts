import { parseBoolean } from '#shared/rules';

/**
 * A yes/no switch of the test run (REQUIRE_TERRAFORM, REQUIRE_MOTO, REQUIRE_BROWSER,
 * UPDATE_SYNTH_SNAPSHOTS), read with the project's one rule for yes/no variables: `true` counts
 * as much as `1`, and a value that is neither yes nor no stops the run instead of skipping quietly.
 */
export function testFlag(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const parsed = parseBoolean(env[name]);
  if (parsed.problem !== undefined) throw new Error(`${name} ${parsed.problem}`);
  return parsed.value ?? false;
}
