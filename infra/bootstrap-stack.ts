import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Fn, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { ApiGatewayLogsRole } from './api-gateway-account';
import {
  API_GATEWAY_ROLE_SEGMENT,
  type BootstrapStackProps,
  CI_ROLE_SEGMENT,
  resolveBootstrapProps,
} from './bootstrap-config';
import {
  BOOTSTRAP_STATE_KEY,
  deployRoleStatements,
  environmentSubject,
  GITHUB_OIDC_HOST,
  githubTrust,
  type PolicyContext,
  planRoleStatements,
  pullRequestSubject,
  STS_AUDIENCE,
  tlsOnlyBucketPolicy,
} from './bootstrap-policies';
import { requireTerraformVersion } from './terraform-settings';

export type { BootstrapStackProps } from './bootstrap-config';

/**
 * Once per AWS account, by an administrator: the Terraform state bucket and the two roles GitHub
 * Actions assumes through OIDC (plan on pull requests, deploy from protected environments).
 * Everything else is deployed by CI with those roles.
 */
export class BootstrapStack extends TerraformStack {
  readonly stateBucket: S3Bucket;
  readonly planRole: IamRole;
  readonly deployRole: IamRole;
  /** API Gateway's account-level logging role, unless `apiGatewayLogsRole` is false. */
  readonly apiGatewayLogsRole?: ApiGatewayLogsRole;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const config = resolveBootstrapProps(props);

    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { project: config.namePrefix, stack: id, 'managed-by': 'cdktf' } }],
    });
    if (config.remoteState) {
      new S3Backend(this, {
        bucket: config.stateBucketName,
        key: BOOTSTRAP_STATE_KEY,
        region: config.region,
        encrypt: true,
      });
      // cdktf 0.21's S3Backend predates use_lockfile (S3-native locking, no DynamoDB lock table).
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      // The bucket cannot hold the state of the stack that creates it, so the first run is local.
      // Relative to cdktf.out/stacks/<id>: the repository root, where no re-synth can remove it
      // (and .gitignore keeps *.tfstate out of git).
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }

    requireTerraformVersion(this);

    const partition = new DataAwsPartition(this, 'partition').partition;

    this.stateBucket = new S3Bucket(this, 'state-bucket', {
      bucket: config.stateBucketName,
      // Losing this bucket loses track of every deployed resource.
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.stateBucket.bucket;
    new S3BucketVersioningA(this, 'state-bucket-versioning', {
      bucket,
      // Earlier state versions are the way back from a corrupted or wrongly applied state.
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'state-bucket-encryption', {
      bucket,
      // SSE-S3: state holds no secrets here, and a KMS key would need its own key policy for both roles.
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketPublicAccessBlock(this, 'state-bucket-public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'state-bucket-ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketPolicy(this, 'state-bucket-policy', {
      bucket,
      policy: new DataAwsIamPolicyDocument(this, 'state-bucket-policy-document', {
        statement: tlsOnlyBucketPolicy(this.stateBucket.arn),
      }).json,
    });

    let oidcProviderArn: string;
    let accountId: string;
    if (config.existingOidcProviderArn) {
      oidcProviderArn = config.existingOidcProviderArn;
      accountId = oidcProviderArn.split(':')[4] ?? '';
    } else {
      const provider = new IamOpenidConnectProvider(this, 'github-oidc', {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: [STS_AUDIENCE],
        // No thumbprint_list: AWS validates GitHub's certificate against its own trusted CAs, and
        // hashicorp/aws 5.81+ makes the field optional.
      });
      oidcProviderArn = provider.arn;
      // The account id is in the provider's ARN; aws_caller_identity would call STS, which the
      // offline plan cannot.
      accountId = Fn.element(Fn.split(':', provider.arn), 4);
    }

    const context: PolicyContext = {
      partition,
      regions: config.environmentRegions,
      hostedZoneIds: config.hostedZoneIds,
      accountId,
      namePrefix: config.namePrefix,
      environments: config.environments,
      stateBucketArn: this.stateBucket.arn,
      oidcProviderArn,
    };
    const { githubOwner: owner, githubRepo: repo } = config;

    this.planRole = this.ciRole('plan', {
      name: `${config.namePrefix}-${CI_ROLE_SEGMENT}-plan`,
      description: `terraform plan for pull requests of ${owner}/${repo}; read-only`,
      subjects: [pullRequestSubject(owner, repo)],
      statements: planRoleStatements(context),
      oidcProviderArn,
    });
    this.deployRole = this.ciRole('deploy', {
      name: `${config.namePrefix}-${CI_ROLE_SEGMENT}-deploy`,
      description: `cdktf deploy from the GitHub Environments of ${owner}/${repo}`,
      subjects: config.environments.map((environment) => environmentSubject(owner, repo, environment)),
      statements: deployRoleStatements(context),
      oidcProviderArn,
    });

    if (config.apiGatewayLogsRole) {
      this.apiGatewayLogsRole = new ApiGatewayLogsRole(this, 'apigateway-logs', {
        roleName: `${config.namePrefix}-${API_GATEWAY_ROLE_SEGMENT}-cloudwatch`,
        regions: config.environmentRegions,
        partition,
      });
    }

    new TerraformOutput(this, 'state_bucket_name', {
      value: this.stateBucket.bucket,
      description: 'Repository variable TF_STATE_BUCKET',
    });
    new TerraformOutput(this, 'plan_role_arn', {
      value: this.planRole.arn,
      description: 'Repository variable AWS_PLAN_ROLE_ARN',
    });
    new TerraformOutput(this, 'deploy_role_arn', {
      value: this.deployRole.arn,
      description: 'Repository variable AWS_DEPLOY_ROLE_ARN',
    });
  }

  private ciRole(
    id: string,
    options: {
      name: string;
      description: string;
      subjects: string[];
      statements: ReturnType<typeof planRoleStatements>;
      oidcProviderArn: string;
    },
  ): IamRole {
    const role = new IamRole(this, `${id}-role`, {
      name: options.name,
      description: options.description,
      assumeRolePolicy: new DataAwsIamPolicyDocument(this, `${id}-trust`, {
        statement: githubTrust(options.oidcProviderArn, options.subjects),
      }).json,
      // A job gets a fresh session per run; an hour covers the slowest plan or deploy.
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, `${id}-policy`, {
      name: `${options.name}-permissions`,
      role: role.id,
      policy: new DataAwsIamPolicyDocument(this, `${id}-permissions`, { statement: options.statements }).json,
    });
    return role;
  }
}
