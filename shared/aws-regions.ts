/**
 * The regions the pinned AWS provider knows, and the partition this project deploys to.
 *
 * hashicorp/aws 5.100.0 validates `region` against the endpoint list of the
 * github.com/hashicorp/aws-sdk-go-base/v2 module it is built with (v2.0.0-beta.65, as its build
 * info says): any other name fails at plan with "invalid AWS Region". The lists below are that
 * module's, partition by partition; test/infra/regions.test.ts has the provider itself accept each
 * region and refuse a made-up one. When the provider is upgraded, update them from the new
 * module's endpoints/endpoints_gen.go.
 */
import { inQuotes } from './quoted';

/** The `aws` partition's regions: the only ones this stack deploys to. */
export const AWS_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;

/** The provider's other partitions and their regions: real, but refused (docs/deploy.md says why). */
export const OTHER_PARTITIONS: Readonly<
  Record<string, { readonly name: string; readonly regions: readonly string[] }>
> = {
  'aws-cn': { name: 'AWS China', regions: ['cn-north-1', 'cn-northwest-1'] },
  'aws-us-gov': { name: 'AWS GovCloud (US)', regions: ['us-gov-east-1', 'us-gov-west-1'] },
  'aws-eusc': { name: 'AWS European Sovereign Cloud', regions: ['eusc-de-east-1'] },
  'aws-iso': { name: 'AWS ISO (US)', regions: ['us-iso-east-1', 'us-iso-west-1'] },
  'aws-iso-b': { name: 'AWS ISOB (US)', regions: ['us-isob-east-1'] },
  'aws-iso-e': { name: 'AWS ISOE (Europe)', regions: ['eu-isoe-west-1'] },
  'aws-iso-f': { name: 'AWS ISOF', regions: ['us-isof-east-1', 'us-isof-south-1'] },
};

/** The partition whose ARNs (`arn:aws:…`) and regions the stack accepts. */
export const SUPPORTED_PARTITION = 'aws';

/** The partition a region the provider knows belongs to, or undefined for a region it does not know. */
export function partitionOf(region: string): string | undefined {
  if ((AWS_REGIONS as readonly string[]).includes(region)) return SUPPORTED_PARTITION;
  return Object.keys(OTHER_PARTITIONS).find((id) => OTHER_PARTITIONS[id]?.regions.includes(region));
}

/**
 * A region this stack can deploy to: one of the provider's `aws` regions. A region of another
 * partition is refused with the partition named; anything else is named as unknown to the provider.
 */
export function checkRegion(value: string): string | undefined {
  const partition = partitionOf(value);
  if (partition === SUPPORTED_PARTITION) return undefined;
  if (partition !== undefined) {
    return (
      `is ${inQuotes(value)}, a region of the ${partition} partition (${OTHER_PARTITIONS[partition]?.name}), ` +
      `which this stack does not handle: it deploys to the ${SUPPORTED_PARTITION} partition only (docs/deploy.md)`
    );
  }
  return (
    `must be an AWS region the provider (hashicorp/aws 5.100.0) knows, such as us-east-1 or eu-west-1, ` +
    `got ${inQuotes(value)} (the full list is in shared/aws-regions.ts)`
  );
}
