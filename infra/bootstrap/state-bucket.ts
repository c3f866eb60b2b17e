import {
  DataAwsIamPolicyDocument,
  S3Bucket,
  S3BucketOwnershipControls,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketVersioningA,
  type TerraformStack,
} from '../toolchain';
import { tlsOnlyBucketPolicy } from './trust';

/**
 * The bucket every stack's Terraform state lives in: versioned, encrypted, private, TLS only, and
 * protected from `terraform destroy`. Created in the stack's own scope, not in a construct of its
 * own, so the bucket keeps the Terraform address it has always had.
 */
export function addStateBucket(stack: TerraformStack, bucketName: string): S3Bucket {
  const stateBucket = new S3Bucket(stack, 'state-bucket', {
    bucket: bucketName,
    // Losing this bucket loses track of every deployed resource.
    lifecycle: { preventDestroy: true },
  });
  const bucket = stateBucket.bucket;
  new S3BucketVersioningA(stack, 'state-bucket-versioning', {
    bucket,
    // Earlier state versions are the way back from a corrupted or wrongly applied state.
    versioningConfiguration: { status: 'Enabled' },
  });
  new S3BucketServerSideEncryptionConfigurationA(stack, 'state-bucket-encryption', {
    bucket,
    // SSE-S3: state holds no secrets here, and a KMS key would need its own key policy for both roles.
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
  });
  new S3BucketPublicAccessBlock(stack, 'state-bucket-public-access-block', {
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(stack, 'state-bucket-ownership', {
    bucket,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  new S3BucketPolicy(stack, 'state-bucket-policy', {
    bucket,
    policy: new DataAwsIamPolicyDocument(stack, 'state-bucket-policy-document', {
      statement: tlsOnlyBucketPolicy(stateBucket.arn),
    }).json,
  });
  return stateBucket;
}
