import { tagProblems } from '#shared/aws-tags';
import { inQuotes } from '#shared/quoted';
import { checkEnvironmentName, checkRegion, checkResourcePrefix } from '#shared/rules';
import { Validator } from '#shared/validation';
import { type ItemsApiSettings, validateItemsApiSettings } from './items-api';
import { defaultTags } from './terraform-settings';

/** Every resource name starts with the environment's prefix; the CI roles match on this project name. */
export const PROJECT = 'item-api';

/** The tags the stack itself puts on every resource of an environment. */
export function stackTags(environmentName: string): Record<string, string> {
  return defaultTags(PROJECT, environmentName);
}

/**
 * Everything that differs between environments, in the shape of the feature's props: one group
 * per part (`table`, `fn`, `api`, `alarms`), each setting optional, its default defined once, in
 * the construct it configures (see the `@default` tags there). One stack is synthesized per entry.
 */
export interface EnvironmentConfig extends ItemsApiSettings {
  /** Stack name (`cdktf deploy <name>`), GitHub Environment and `stack` tag. */
  readonly name: string;
  /** AWS region the stack deploys into, e.g. `eu-west-1`. */
  readonly region: string;
  /** Prefix of every resource name, e.g. `item-api-dev` gives the table `item-api-dev-items`. */
  readonly namePrefix: string;
  /**
   * Extra tags on every resource, besides `project`, `stack` and `managed-by`, which the stack sets
   * itself (refused here rather than overwritten). AWS's tag rules apply: at most 47 of your own.
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const ENVIRONMENTS: readonly EnvironmentConfig[] = [
  {
    name: 'dev',
    region: 'us-east-1',
    namePrefix: 'item-api-dev',
    logRetentionDays: 14,
    table: { deletionProtection: false },
    api: { throttling: { rateLimit: 50, burstLimit: 100 } },
  },
  {
    name: 'prod',
    region: 'us-east-1',
    namePrefix: 'item-api-prod',
    logRetentionDays: 90,
  },
];

/** Every problem of one environment, each named by its path (`environments.dev.fn.memoryMb …`). */
export function environmentProblems(config: EnvironmentConfig, at: Validator): void {
  at.check('name', config.name, checkEnvironmentName)
    .check('region', config.region, checkRegion)
    .check('namePrefix', config.namePrefix, checkResourcePrefix);
  for (const { key, message } of tagProblems(config.tags ?? {}, stackTags(config.name))) {
    at.report(key === undefined ? 'tags' : `tags[${inQuotes(key)}]`, message);
  }
  validateItemsApiSettings(config, at, config.region, config.namePrefix);
}

/** Throws one ConfigValidationError listing every problem of every environment. */
export function validateEnvironments(configs: readonly EnvironmentConfig[]): readonly EnvironmentConfig[] {
  const validator = Validator.for('environments');
  const seen = new Map<string, string>();
  for (const config of configs) {
    const at = validator.at(config.name || '?');
    environmentProblems(config, at);
    for (const key of ['name', 'namePrefix'] as const) {
      const other = seen.get(`${key}:${config[key]}`);
      at.report(
        key,
        other === undefined
          ? undefined
          : `must differ from environments.${other}.${key}: both are ${JSON.stringify(config[key])}, so their resources would collide`,
      );
      seen.set(`${key}:${config[key]}`, config.name);
    }
  }
  validator.throwIfInvalid('environments (infra/config.ts)');
  return configs;
}
