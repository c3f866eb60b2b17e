import type { Construct } from 'constructs';
import { addStateBackend } from '../state-backend';
import { defaultTags, requireTerraformVersion } from '../terraform-settings';
import {
  AwsProvider,
  DataAwsPartition,
  Fn,
  IamOpenidConnectProvider,
  type IamRole,
  type S3Bucket,
  TerraformOutput,
  TerraformStack,
} from '../toolchain';
import { ApiGatewayLogsRole } from './api-gateway-logs-role';
import {
  API_GATEWAY_ROLE_SEGMENT,
  type BootstrapStackProps,
  CI_ROLE_SEGMENT,
  resolveBootstrapProps,
} from './bootstrap-config';
import { BOOTSTRAP_STATE_KEY, deployRoleStatements, planRoleStatements } from './ci-permissions';
import type { PolicyContext } from './ci-resource-arns';
import { addCiRole } from './ci-role';
import { addStateBucket } from './state-bucket';
import { environmentSubject, GITHUB_OIDC_HOST, pullRequestSubject, STS_AUDIENCE } from './trust';

export type { BootstrapStackProps } from './bootstrap-config';

/**
 * Once per AWS account, by an administrator: the Terraform state bucket, the two roles GitHub
 * Actions assumes through OIDC (plan on pull requests, deploy from protected environments) and API
 * Gateway's logging role. Everything else is deployed by CI with those roles.
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
      defaultTags: [{ tags: defaultTags(config.namePrefix, id) }],
    });
    // The bucket cannot hold the state of the stack that creates it, so the first run is local (on
    // purpose, so unguarded); afterwards the state moves into the bucket it created.
    const backend = config.remoteState
      ? ({ kind: 's3', bucket: config.stateBucketName, region: config.region } as const)
      : ({ kind: 'local', onPurpose: true } as const);
    addStateBackend(this, id, config.region, backend, { key: BOOTSTRAP_STATE_KEY, guardLocalState: false });
    requireTerraformVersion(this);

    const partition = new DataAwsPartition(this, 'partition').partition;
    this.stateBucket = addStateBucket(this, config.stateBucketName);

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
      apiKeys: config.apiKeys,
      resourcePolicies: config.resourcePolicies,
      accountId,
      namePrefix: config.namePrefix,
      environments: config.environments,
      stateBucketArn: this.stateBucket.arn,
      oidcProviderArn,
    };
    const { githubOwner: owner, githubRepo: repo } = config;
    this.planRole = addCiRole(this, {
      id: 'plan',
      name: `${config.namePrefix}-${CI_ROLE_SEGMENT}-plan`,
      description: `terraform plan for pull requests of ${owner}/${repo}; read-only`,
      subjects: [pullRequestSubject(owner, repo)],
      statements: planRoleStatements(context),
      oidcProviderArn,
    });
    this.deployRole = addCiRole(this, {
      id: 'deploy',
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
}
