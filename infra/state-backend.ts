import { checkRegion, checkStateBucketName, parseBoolean } from '#shared/rules';
import { Validator } from '#shared/validation';
import { Fn, LocalBackend, S3Backend, type TerraformStack, TerraformVariable } from './toolchain';

/** Where Terraform keeps state: a local file, or one S3 object per stack. */
export type StateBackendConfig =
  | {
      readonly kind: 'local';
      /** Local state was asked for (ITEM_API_LOCAL_STATE=1, true or yes), not fallen back to. */
      readonly onPurpose: boolean;
    }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      /** Region of the bucket; undefined means the stack's own region. */
      readonly region: string | undefined;
    };

type Env = Readonly<Record<string, string | undefined>>;

/** Set to `1` (or `true`, `yes`) to deploy an environment with local state on purpose, e.g. into a personal account. */
export const LOCAL_STATE_VARIABLE = 'ITEM_API_LOCAL_STATE';

/**
 * The Terraform variable that stands between an environment stack without a backend and a deploy.
 * Its default fails validation, so `plan` and `apply` stop with the message below; synth, validate
 * and the offline plan (which sets it) are unaffected.
 */
export const LOCAL_STATE_GUARD = 'allow_local_state';

/** CI names a bucket in TF_STATE_BUCKET (and optionally TF_STATE_REGION); otherwise state stays local. */
export function stateBackendFromEnv(env: Env): StateBackendConfig {
  const bucket = env.TF_STATE_BUCKET?.trim() || undefined;
  const region = env.TF_STATE_REGION?.trim() || undefined;
  const validator = Validator.for('');
  const localOnPurpose =
    validator.read(LOCAL_STATE_VARIABLE, parseBoolean(env[LOCAL_STATE_VARIABLE])) ?? false;
  validator
    .check('TF_STATE_BUCKET', bucket, checkStateBucketName)
    .check('TF_STATE_REGION', region, checkRegion)
    .report(
      LOCAL_STATE_VARIABLE,
      bucket !== undefined && localOnPurpose
        ? 'asks for local state while TF_STATE_BUCKET names a bucket; unset one of them'
        : undefined,
    );
  validator.throwIfInvalid('state backend settings (environment variables)');
  return bucket === undefined ? { kind: 'local', onPurpose: localOnPurpose } : { kind: 's3', bucket, region };
}

/** The state object of one stack: stacks never share state, so one cannot overwrite another. */
export function stateKey(stackName: string): string {
  return `item-api/${stackName}.tfstate`;
}

export interface StateBackendOptions {
  /**
   * The state object's key in the bucket.
   * @default stateKey(stackName)
   */
  readonly key?: string;
  /**
   * Refuse to plan with local state that was not asked for (see LOCAL_STATE_GUARD). The bootstrap
   * turns it off: its first deploy must be local, because it creates the bucket.
   * @default true
   */
  readonly guardLocalState?: boolean;
}

/**
 * Adds the backend. Returns the region the stack's AWS provider must use: the stack's own, routed
 * through the local-state guard when there is one, so that Terraform checks the guard before it
 * configures the provider. The refusal then comes before any plan is rendered; after a rendered
 * plan, `cdktf deploy` can drop Terraform's closing error from its output.
 */
export function addStateBackend(
  stack: TerraformStack,
  stackName: string,
  stackRegion: string,
  backend: StateBackendConfig,
  options: StateBackendOptions = {},
): string {
  if (backend.kind === 'local') {
    // Terraform runs in cdktf.out/stacks/<stack>; the state goes to the project root (git-ignored),
    // where deleting cdktf.out cannot lose it. Relative, so the config is the same on every machine.
    new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
    if (backend.onPurpose || options.guardLocalState === false) return stackRegion;
    const guard = guardLocalState(stack, stackName);
    return Fn.conditional(guard.booleanValue, stackRegion, stackRegion);
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: options.key ?? stateKey(stackName),
    region: backend.region ?? stackRegion,
    encrypt: true,
  });
  // Native S3 locking (Terraform 1.10+) needs no DynamoDB lock table; cdktf 0.21's S3Backend
  // predates the option, hence the override.
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
  return stackRegion;
}

/**
 * A deploy with local state into the account CI deploys to would not see CI's resources: it would
 * try to create them again, and create a second REST API (API names are not unique). So an
 * environment stack without a bucket refuses to plan until local state is chosen explicitly.
 */
function guardLocalState(stack: TerraformStack, stackName: string): TerraformVariable {
  return new TerraformVariable(stack, LOCAL_STATE_GUARD, {
    type: 'bool',
    default: false,
    description: `Set by ${LOCAL_STATE_VARIABLE}=1 at synth time; see the validation message.`,
    validation: [
      {
        condition: `\${var.${LOCAL_STATE_GUARD}}`,
        errorMessage:
          `Stack ${stackName} has no state bucket, so its Terraform state would be a local file ` +
          `(terraform.${stackName}.tfstate) that CI never sees: deploying it into the account CI uses ` +
          'would create a second copy of every resource. Set TF_STATE_BUCKET (and TF_STATE_REGION) to ' +
          `the state bucket from the bootstrap stack, or set ${LOCAL_STATE_VARIABLE}=1 to use local ` +
          'state on purpose (e.g. in a personal account).',
      },
    ],
  });
}
