import path from 'node:path';
import { ConfigValidationError } from '#shared/validation';
import { HANDLER_DIST_DIR } from './handler/bundle';
import { appSettingsFromEnv, discardSynthOutput, formatSettingsProblems } from './infra/app-settings';
import { BootstrapStack } from './infra/bootstrap/bootstrap-stack';
import { EnvironmentStack } from './infra/environment-stack';
import { synthWithProviderLock } from './infra/terraform-settings';
import { App, type TerraformStack } from './infra/toolchain';

type Env = Readonly<Record<string, string | undefined>>;

export interface DefineStacksOptions {
  /** Environment variables; the only place configuration is read from outside the code. */
  readonly env: Env;
  /** Built handler bundle folder. */
  readonly bundleDir?: string;
}

/**
 * Every stack of the app, so tests can synthesize exactly what `cdktf synth` does. Stack ids are
 * the names given to `cdktf deploy`.
 */
export function defineStacks(app: App, options: DefineStacksOptions): TerraformStack[] {
  // Every setting is checked before the first stack exists, so one run lists every problem.
  const { environments, stateBackend, bootstrap } = appSettingsFromEnv(options.env);
  const bundleDir = options.bundleDir ?? HANDLER_DIST_DIR;
  const stacks: TerraformStack[] = environments.map(
    (config) => new EnvironmentStack(app, config.name, { config, stateBackend, bundleDir }),
  );

  // Once per account: the state bucket, GitHub's OIDC provider and the CI roles. It is planned and
  // tested with the environment stacks, and deployed by hand (`npx cdktf deploy bootstrap`).
  stacks.push(new BootstrapStack(app, 'bootstrap', bootstrap));

  return stacks;
}

/** `cdktf synth`'s app: every stack, each folder with the project's provider lock file. */
export function synthApp(app: App, env: Env): TerraformStack[] {
  const stacks = defineStacks(app, { env });
  // The lock file sits beside this file, at the repository root.
  synthWithProviderLock(app, __dirname, stacks);
  return stacks;
}

/**
 * `cdktf synth` (and deploy, diff) runs this file. Invalid settings end it with the problems and
 * no stack trace. cdktf prints an app's stderr twice when the app fails (as it comes, then again
 * in its own summary), and its stdout too, so under cdktf the problems go to stdout and the app
 * exits 0 without a manifest: cdktf then stops with "synthesis failed" and exit code 1, and the
 * problems appear once. The manifest of an earlier synth is removed first, or cdktf would take
 * its stacks for this run's.
 */
function main(env: NodeJS.ProcessEnv): void {
  try {
    synthApp(new App(), env);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    const outdir = env.CDKTF_OUTDIR;
    // Where App() writes by default: cdktf's CDKTF_OUTDIR, else cdktf.out in the working directory.
    discardSynthOutput(path.resolve(outdir ?? 'cdktf.out'));
    if (outdir !== undefined) {
      console.log(formatSettingsProblems(error));
    } else {
      console.error(formatSettingsProblems(error));
      process.exitCode = 1;
    }
  }
}

if (require.main === module) main(process.env);
