import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { ConfigValidationError } from './config';

/** Where Terraform keeps state: a local file, or one S3 object per stack. */
export type StateBackendConfig =
  | { readonly kind: 'local' }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      /** Region of the bucket; undefined means the stack's own region. */
      readonly region: string | undefined;
    };

type Env = Readonly<Record<string, string | undefined>>;

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** CI names a bucket in TF_STATE_BUCKET (and optionally TF_STATE_REGION); otherwise state stays local. */
export function stateBackendFromEnv(env: Env): StateBackendConfig {
  const bucket = env.TF_STATE_BUCKET?.trim();
  if (!bucket) return { kind: 'local' };
  if (!BUCKET.test(bucket)) {
    throw new ConfigValidationError(
      'TF_STATE_BUCKET',
      `must be an S3 bucket name, got ${JSON.stringify(bucket)}`,
    );
  }
  const region = env.TF_STATE_REGION?.trim() || undefined;
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new ConfigValidationError(
      'TF_STATE_REGION',
      `must be an AWS region, got ${JSON.stringify(region)}`,
    );
  }
  return { kind: 's3', bucket, region };
}

/** The state object of one stack: stacks never share state, so one cannot overwrite another. */
export function stateKey(stackName: string): string {
  return `item-api/${stackName}.tfstate`;
}

export function addStateBackend(
  stack: TerraformStack,
  stackName: string,
  stackRegion: string,
  backend: StateBackendConfig,
): void {
  if (backend.kind === 'local') {
    // Terraform runs in cdktf.out/stacks/<stack>; the state goes to the project root (git-ignored),
    // where deleting cdktf.out cannot lose it. Relative, so the config is the same on every machine.
    new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
    return;
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: stateKey(stackName),
    region: backend.region ?? stackRegion,
    encrypt: true,
  });
  // Native S3 locking (Terraform 1.10+) needs no DynamoDB lock table; cdktf 0.21's S3Backend
  // predates the option, hence the override.
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
