import { rmSync } from 'node:fs';
import path from 'node:path';
import { ConfigValidationError, type Problem } from '#shared/validation';
import { type BootstrapStackProps, bootstrapPropsFromEnv } from './bootstrap/bootstrap-config';
import { ENVIRONMENTS, type EnvironmentConfig, validateEnvironments } from './config';
import { type StateBackendConfig, stateBackendFromEnv } from './state-backend';

type Env = Readonly<Record<string, string | undefined>>;

/** Everything the app is configured with: infra/config.ts, and the environment variables it reads. */
export interface AppSettings {
  readonly environments: readonly EnvironmentConfig[];
  readonly stateBackend: StateBackendConfig;
  readonly bootstrap: BootstrapStackProps;
}

/**
 * Reads and validates every setting before any stack exists. Throws one ConfigValidationError
 * with every problem, each once, at the setting path (`environments.dev.fn.memoryMb`) or the
 * environment variable (`GITHUB_OWNER`) to change.
 */
export function appSettingsFromEnv(
  env: Env,
  environments: readonly EnvironmentConfig[] = ENVIRONMENTS,
): AppSettings {
  const problems: Problem[] = [];
  const read = <T>(settings: () => T): T | undefined => {
    try {
      return settings();
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      // The bootstrap re-checks what it takes from infra/config.ts; a problem is listed once.
      for (const problem of error.problems) {
        if (!problems.some((p) => p.path === problem.path && p.message === problem.message))
          problems.push(problem);
      }
      return undefined;
    }
  };
  const settings = {
    environments: read(() => validateEnvironments(environments)),
    stateBackend: read(() => stateBackendFromEnv(env)),
    bootstrap: read(() => bootstrapPropsFromEnv(env, environments)),
  };
  if (problems.length > 0) throw new ConfigValidationError('settings', problems);
  return settings as AppSettings;
}

/** The problems as `npm run synth` and `cdktf synth` print them: once, a line each, no stack trace. */
export function formatSettingsProblems(error: ConfigValidationError): string {
  return [
    `${error.problems.length} setting(s) to change; nothing was synthesized:`,
    ...error.problems.map((problem) => `- ${problem.path} ${problem.message}`),
    'environments.* are set in infra/config.ts; UPPER_CASE names are environment variables.',
  ].join('\n');
}

/**
 * Removes what an earlier synth left in `outdir`, so that no plan or deploy after a refused synth
 * works on stacks from settings that have since changed.
 */
export function discardSynthOutput(outdir: string): void {
  for (const name of ['manifest.json', 'stacks'])
    rmSync(path.join(outdir, name), { recursive: true, force: true });
}
