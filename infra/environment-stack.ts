import type { Construct } from 'constructs';
import { Validator } from '#shared/validation';
import { type EnvironmentConfig, environmentProblems, stackTags } from './config';
import { ENVIRONMENT_OUTPUTS } from './environment-outputs';
import { ItemsApi } from './items-api';
import { addStateBackend, type StateBackendConfig } from './state-backend';
import { requireTerraformVersion } from './terraform-settings';
import { AwsProvider, TerraformOutput, TerraformStack } from './toolchain';

export { PROJECT } from './config';

export interface EnvironmentStackProps {
  /** The environment: names, sizes, limits. Validated before anything is created. */
  readonly config: EnvironmentConfig;
  /** Where this stack's state lives. */
  readonly stateBackend: StateBackendConfig;
  /** Folder holding the built handler bundle. */
  readonly bundleDir: string;
}

/** One deployable environment: provider, state backend, the feature, and its outputs. */
export class EnvironmentStack extends TerraformStack {
  readonly itemsApi: ItemsApi;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id);
    const { config } = props;
    const validator = Validator.for(`environments.${config.name || '?'}`);
    environmentProblems(config, validator);
    validator.throwIfInvalid('environment (infra/config.ts)');

    const region = addStateBackend(this, id, config.region, props.stateBackend);
    // Region only: credentials come from the environment (OIDC in CI, a profile locally), never from code.
    new AwsProvider(this, 'aws', {
      region,
      // The user's tags cannot hold the stack's own keys (environmentProblems refuses them).
      defaultTags: [{ tags: { ...config.tags, ...stackTags(config.name) } }],
    });
    requireTerraformVersion(this);

    const { name: _name, region: _region, tags: _tags, ...feature } = config;
    this.itemsApi = new ItemsApi(this, 'items-api', { ...feature, bundleDir: props.bundleDir });

    for (const output of ENVIRONMENT_OUTPUTS) {
      const value = output.value(this.itemsApi);
      if (value !== undefined)
        new TerraformOutput(this, output.name, { description: output.description, value });
    }
  }
}
