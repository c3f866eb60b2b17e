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
  deployRoleName,
  planRoleName,
  resolveBootstrapProps,
  sharedDeployRoleName,
} from './bootstrap-config';
import { BOOTSTRAP_STATE_KEY, deployRoleStatements, planRoleStatements } from './ci-permissions';
import type { PolicyContext } from './ci-resource-arns';
import { addCiRole } from './ci-role';
import { addStateBucket } from './state-bucket';
import { environmentSubject, GITHUB_OIDC_HOST, pullRequestSubject, STS_AUDIENCE } from './trust';

export type { BootstrapStackProps } from './bootstrap-config';

/**
 * Once per AWS account, by an administrator: the Terraform state bucket, the roles GitHub Actions
 * assumes through OIDC (one read-only plan role for pull requests, one deploy role per GitHub
 * Environment) and API Gateway's logging role. Everything else is deployed by CI with those roles.
 */
export class BootstrapStack extends TerraformStack {
  readonly stateBucket: S3Bucket;
  readonly planRole: IamRole;
  /** Each environment's deploy role, by environment name. */
  readonly deployRoles: Readonly<Record<string, IamRole>>;
  /** The deploy role every environment shared, kept only while `sharedDeployRole` is set. */
  readonly sharedDeployRole?: IamRole;
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
      apiKeyEnvironments: config.apiKeyEnvironments,
      resourcePolicyEnvironments: config.resourcePolicyEnvironments,
      accountId,
      namePrefix: config.namePrefix,
      environments: config.environments,
      stateBucketArn: this.stateBucket.arn,
      oidcProviderArn,
    };
    const { githubOwner: owner, githubRepo: repo } = config;
    this.planRole = addCiRole(this, {
      id: 'plan',
      name: planRoleName(config.namePrefix),
      description: `terraform plan for pull requests of ${owner}/${repo}; read-only`,
      subjects: [pullRequestSubject(owner, repo)],
      statements: planRoleStatements(context),
      oidcProviderArn,
    });
    this.deployRoles = Object.fromEntries(
      config.environments.map((environment) => [
        environment,
        addCiRole(this, {
          id: `deploy-${environment}`,
          name: deployRoleName(config.namePrefix, environment),
          description: `cdktf deploy of ${environment} from the GitHub Environment ${environment} of ${owner}/${repo}`,
          subjects: [environmentSubject(owner, repo, environment)],
          statements: deployRoleStatements({ ...context, environments: [environment] }),
          oidcProviderArn,
        }),
      ]),
    );
    if (config.sharedDeployRole) {
      // Its id, name and trust are those it had before each environment got its own role, so
      // keeping it changes nothing that deploys still rely on (see docs/ci-cd.md, migration).
      this.sharedDeployRole = addCiRole(this, {
        id: 'deploy',
        name: sharedDeployRoleName(config.namePrefix),
        description: `cdktf deploy from the GitHub Environments of ${owner}/${repo}`,
        subjects: config.environments.map((environment) => environmentSubject(owner, repo, environment)),
        statements: deployRoleStatements(context),
        oidcProviderArn,
      });
    }

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
    for (const [environment, role] of Object.entries(this.deployRoles)) {
      new TerraformOutput(this, deployRoleOutput(environment), {
        value: role.arn,
        description: `Variable AWS_DEPLOY_ROLE_ARN of the GitHub Environment ${environment}`,
      });
    }
    if (this.sharedDeployRole) {
      new TerraformOutput(this, 'deploy_role_arn', {
        value: this.sharedDeployRole.arn,
        description: 'The shared deploy role, until every GitHub Environment names its own (migration only)',
      });
    }
  }
}

/** The output holding an environment's deploy role ARN: `deploy_role_arn_<environment>`. */
export function deployRoleOutput(environment: string): string {
  return `deploy_role_arn_${environment}`;
}
