import { HANDLER_DIST_DIR } from './handler/bundle';
import { bootstrapPropsFromEnv } from './infra/bootstrap/bootstrap-config';
import { BootstrapStack } from './infra/bootstrap/bootstrap-stack';
import { ENVIRONMENTS, validateEnvironments } from './infra/config';
import { EnvironmentStack } from './infra/environment-stack';
import { stateBackendFromEnv } from './infra/state-backend';
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
  const stateBackend = stateBackendFromEnv(options.env);
  const bundleDir = options.bundleDir ?? HANDLER_DIST_DIR;
  const stacks: TerraformStack[] = validateEnvironments(ENVIRONMENTS).map(
    (config) => new EnvironmentStack(app, config.name, { config, stateBackend, bundleDir }),
  );

  // Once per account: the state bucket, GitHub's OIDC provider and the CI roles. It is planned and
  // tested with the environment stacks, and deployed by hand (`npx cdktf deploy bootstrap`).
  stacks.push(new BootstrapStack(app, 'bootstrap', bootstrapPropsFromEnv(options.env)));

  return stacks;
}

/** `cdktf synth`'s app: every stack, each folder with the project's provider lock file. */
export function synthApp(app: App, env: Env): TerraformStack[] {
  const stacks = defineStacks(app, { env });
  // The lock file sits beside this file, at the repository root.
  synthWithProviderLock(app, __dirname, stacks);
  return stacks;
}

if (require.main === module) synthApp(new App(), process.env);
