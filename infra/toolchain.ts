/**
 * The cdktf core and the hashicorp/aws provider bindings, imported here and nowhere else: every
 * construct, the app and the infrastructure tests take them from this file, so moving to another
 * binding package or provider major (docs/upgrading.md) changes one file, not thirty. Which
 * bindings those must be is shared/toolchain.ts's lane; loading this file with others installed
 * fails at once, naming both.
 */
import { readFileSync } from 'node:fs';
import type { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { bindingsMismatch, type InstalledBindings, LANE, majorOf } from '#shared/toolchain';

export { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
export { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
export { ApiGatewayBasePathMapping } from '@cdktf/provider-aws/lib/api-gateway-base-path-mapping';
export { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
export { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name';
export { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
export { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
export { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
export { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
export { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
export { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
export { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
export { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
export { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
export { ApiGatewayRestApiPolicy } from '@cdktf/provider-aws/lib/api-gateway-rest-api-policy';
export { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
export { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan';
export { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
export { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
export type { CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
export { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
export type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
export { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
export { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
export { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
export { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
export { IamRole } from '@cdktf/provider-aws/lib/iam-role';
export { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
export { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
export { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
export { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
export { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
export { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
export { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
export { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
export { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
export { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
export { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
export { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
export { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
export {
  App,
  AssetType,
  Fn,
  LocalBackend,
  S3Backend,
  TerraformAsset,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Testing,
} from 'cdktf';

function packageJson(specifier: string): {
  name: string;
  version: string;
  cdktf?: { provider: { version: string } };
} {
  return JSON.parse(readFileSync(require.resolve(specifier), 'utf8'));
}

function installedBindings(): InstalledBindings {
  const cdk = packageJson('cdktf/package.json');
  const aws = packageJson('@cdktf/provider-aws/package.json');
  return {
    cdk: { name: cdk.name, version: cdk.version },
    awsBindings: { name: aws.name, version: aws.version, awsProvider: aws.cdktf?.provider.version ?? '?' },
  };
}

const mismatch = bindingsMismatch(LANE, installedBindings());
if (mismatch !== undefined) throw new Error(`infra/toolchain.ts: ${mismatch}`);

/** The hashicorp/aws major the stacks are synthesized for. */
export const AWS_PROVIDER_MAJOR = majorOf(LANE.awsProvider);

/**
 * On destroy, point the region's API Gateway logging setting back at no role, so it never names a
 * deleted one. hashicorp/aws 5 does that only with `reset_on_delete`; 6 removed the argument and
 * always resets (its upgrade guide, "Resource aws_api_gateway_account").
 */
export function resetOnDelete(account: ApiGatewayAccount): void {
  if (AWS_PROVIDER_MAJOR < 6) account.addOverride('reset_on_delete', true);
}
