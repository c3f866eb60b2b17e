import { spawnSync } from 'node:child_process';

export type Env = Readonly<Record<string, string | undefined>>;

export interface TerraformRun {
  readonly terraform: string;
  readonly cwd: string;
  readonly env?: Env;
}

/** Runs terraform, returning stdout; throws with the command and its output when it fails. */
export function runTerraform(run: TerraformRun, args: readonly string[]): string {
  const result = spawnSync(run.terraform, args, {
    cwd: run.cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: {
      ...(run.env ?? process.env),
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `terraform ${args.join(' ')} failed in ${run.cwd} (exit ${result.status}):\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}
