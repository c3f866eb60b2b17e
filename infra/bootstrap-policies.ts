import type { DataAwsIamPolicyDocumentStatement as Statement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * The IAM statements of the CI roles, as plain data so they can be read and tested apart from the
 * stack. Every ARN is built from the configured name prefix; what cannot be scoped by name says why.
 */

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** The key the bootstrap stack's own state uses once migrated; the deploy role must not write it. */
export const BOOTSTRAP_STATE_KEY = 'bootstrap/terraform.tfstate';

export interface PolicyContext {
  readonly partition: string;
  /** Regions the environment stacks deploy into; regional ARNs are listed once per region. */
  readonly regions: readonly string[];
  /** Route 53 zones the environments' custom domains write their records in. */
  readonly hostedZoneIds: readonly string[];
  readonly accountId: string;
  readonly namePrefix: string;
  readonly environments: readonly string[];
  readonly stateBucketArn: string;
  readonly oidcProviderArn: string;
}

/** GitHub's OIDC `sub` claims: a pull-request job, and a job bound to a GitHub Environment. */
export function pullRequestSubject(owner: string, repo: string): string {
  return `repo:${owner}/${repo}:pull_request`;
}

export function environmentSubject(owner: string, repo: string, environment: string): string {
  return `repo:${owner}/${repo}:environment:${environment}`;
}

/**
 * Web-identity trust for exactly these subjects. StringEquals, not StringLike: a wildcard subject
 * (`repo:o/r:*`) would let any branch or workflow of the repository assume the role.
 */
export function githubTrust(oidcProviderArn: string, subjects: readonly string[]): Statement[] {
  return [
    {
      sid: 'GitHubActionsOidc',
      effect: 'Allow',
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [{ type: 'Federated', identifiers: [oidcProviderArn] }],
      condition: [
        { test: 'StringEquals', variable: `${GITHUB_OIDC_HOST}:aud`, values: [STS_AUDIENCE] },
        { test: 'StringEquals', variable: `${GITHUB_OIDC_HOST}:sub`, values: [...subjects] },
      ],
    },
  ];
}

/** Deny every request to the state bucket that is not over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): Statement[] {
  return [
    {
      sid: 'DenyInsecureTransport',
      effect: 'Deny',
      actions: ['s3:*'],
      principals: [{ type: '*', identifiers: ['*'] }],
      resources: [bucketArn, `${bucketArn}/*`],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    },
  ];
}

function arns(context: PolicyContext) {
  const { partition, regions, accountId } = context;
  const regional = (service: string, resource: string) =>
    regions.map((region) => `arn:${partition}:${service}:${region}:${accountId}:${resource}`);
  return {
    table: (name: string) => regional('dynamodb', `table/${name}`),
    fn: (name: string) => regional('lambda', `function:${name}`),
    // Lambda and API Gateway log groups live under different paths (/aws/lambda/…, /aws/apigateway/…
    // or a custom one), so the prefix is matched anywhere in the name.
    logGroup: (name: string) => regional('logs', `log-group:*${name}`),
    role: (name: string) => `arn:${partition}:iam::${accountId}:role/${name}`,
    policy: (name: string) => `arn:${partition}:iam::${accountId}:policy/${name}`,
    alarm: (name: string) => regional('cloudwatch', `alarm:${name}`),
    topic: (name: string) => regional('sns', name),
    // The table's SSE uses the AWS managed key (alias/aws/dynamodb), whose id differs per account and
    // region; DescribeKey reads only its metadata.
    kmsKeys: regional('kms', 'key/*'),
    // REST API ARNs carry the generated API id, never its name, so they cannot be scoped by prefix.
    // The optional WAF ACL is the user's own (often shared across APIs), so it has no project name.
    webAcls: regional('wafv2', 'regional/webacl/*/*'),
    // Custom domain names carry no project prefix either (they are the user's own names).
    restApis: regions.flatMap((region) => [
      `arn:${partition}:apigateway:${region}::/restapis`,
      `arn:${partition}:apigateway:${region}::/restapis/*`,
      `arn:${partition}:apigateway:${region}::/domainnames`,
      `arn:${partition}:apigateway:${region}::/domainnames/*`,
      `arn:${partition}:apigateway:${region}::/tags/*`,
    ]),
    hostedZones: context.hostedZoneIds.map((zone) => `arn:${partition}:route53:::hostedzone/${zone}`),
    // A record change is tracked under a generated id, global to the account.
    dnsChanges: `arn:${partition}:route53:::change/*`,
  };
}

/** `<prefix>-<env>` and `<prefix>-<env>-…` for each environment: the names the deploy role may manage. */
function environmentNames(context: PolicyContext, suffix = ''): string[] {
  return context.environments.flatMap((environment) => [
    `${context.namePrefix}-${environment}${suffix}`,
    `${context.namePrefix}-${environment}-*${suffix}`,
  ]);
}

/**
 * Plan: read the state and describe (never read data from) what the stacks manage. No lock: pull
 * request plans run with `-lock=false`, so code on any branch can neither hold nor delete the lock
 * of a running deploy.
 * Chosen over the AWS managed ReadOnlyAccess policy, which also grants s3:GetObject on every bucket
 * and dynamodb:GetItem/Scan on every table, i.e. data, to code from any pull request branch.
 */
export function planRoleStatements(context: PolicyContext): Statement[] {
  const arn = arns(context);
  const anyProjectName = `${context.namePrefix}-*`;
  return [
    { sid: 'StateList', effect: 'Allow', actions: ['s3:ListBucket'], resources: [context.stateBucketArn] },
    {
      sid: 'StateRead',
      effect: 'Allow',
      actions: ['s3:GetObject'],
      resources: [`${context.stateBucketArn}/*`],
    },
    {
      sid: 'DescribeProjectResources',
      effect: 'Allow',
      actions: [
        // Describe* is the control plane only: item reads are GetItem, Query, Scan, BatchGetItem.
        'dynamodb:Describe*',
        'dynamodb:ListTagsOfResource',
        // On function ARNs these are configuration reads (and the function's own code).
        'lambda:Get*',
        'lambda:List*',
        'logs:ListTagsForResource',
        'logs:ListTagsLogGroup',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:ListRoleTags',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:ListPolicyVersions',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:ListTagsForResource',
        'sns:GetTopicAttributes',
        'sns:ListTagsForResource',
      ],
      resources: [
        ...arn.table(anyProjectName),
        ...arn.fn(anyProjectName),
        ...arn.logGroup(anyProjectName),
        arn.role(anyProjectName),
        arn.policy(anyProjectName),
        ...arn.alarm(anyProjectName),
        ...arn.topic(anyProjectName),
      ],
    },
    {
      // Lets the bootstrap stack itself be planned in CI once its state lives in the bucket.
      sid: 'DescribeBootstrap',
      effect: 'Allow',
      actions: [
        's3:GetBucket*',
        's3:GetEncryptionConfiguration',
        's3:GetLifecycleConfiguration',
        's3:GetReplicationConfiguration',
        's3:GetAccelerateConfiguration',
        'iam:GetOpenIDConnectProvider',
      ],
      resources: [context.stateBucketArn, context.oidcProviderArn],
    },
    {
      // DescribeLogGroups is a list call with no per-group resource; API Gateway: see arns(); SNS
      // subscription actions have no resource-level permissions.
      sid: 'DescribeUnscopable',
      effect: 'Allow',
      actions: ['logs:DescribeLogGroups', 'apigateway:GET', 'sns:GetSubscriptionAttributes'],
      resources: ['*'],
    },
    {
      // The provider reads the table's SSE key on every create and refresh (alias/aws/dynamodb).
      sid: 'DescribeTableKey',
      effect: 'Allow',
      actions: ['kms:DescribeKey'],
      resources: arn.kmsKeys,
    },
    ...(arn.hostedZones.length === 0
      ? []
      : [
          {
            // The optional custom domains' alias records.
            sid: 'DescribeDnsRecords',
            effect: 'Allow',
            actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
            resources: arn.hostedZones,
          },
        ]),
    {
      // The optional WAF association (wafWebAclArn): which ACL guards a stage.
      sid: 'DescribeWebAcl',
      effect: 'Allow',
      actions: ['wafv2:GetWebACLForResource', 'wafv2:GetWebACL'],
      resources: [...arn.webAcls, ...arn.restApis],
    },
  ];
}

/**
 * Deploy: create, change and delete the resources of the configured environments, by name prefix.
 * What stays broad: API Gateway (ids, not names, in its ARNs), logs:DescribeLogGroups (a list call)
 * and the SNS subscription actions (no resource-level permissions).
 * What stays powerful: the role may write inline policies on `<prefix>-<env>-*` roles, which is what
 * deploying a Lambda execution role means; PassRole is limited to those roles and to Lambda, and
 * managed policies may be attached only when they are the project's own.
 */
export function deployRoleStatements(context: PolicyContext): Statement[] {
  const arn = arns(context);
  const names = environmentNames(context);
  const bucket = context.stateBucketArn;
  return [
    { sid: 'StateList', effect: 'Allow', actions: ['s3:ListBucket'], resources: [bucket] },
    {
      sid: 'StateReadWrite',
      effect: 'Allow',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [`${bucket}/*`],
    },
    {
      // The bootstrap state describes the CI roles themselves; only an administrator changes it.
      sid: 'ProtectBootstrapState',
      effect: 'Deny',
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [`${bucket}/${BOOTSTRAP_STATE_KEY}`, `${bucket}/${BOOTSTRAP_STATE_KEY}.tflock`],
    },
    {
      // Control plane only: no GetItem/PutItem/Scan, so a deploy cannot read or change item data.
      sid: 'DynamoDbTables',
      effect: 'Allow',
      actions: [
        'dynamodb:CreateTable',
        'dynamodb:UpdateTable',
        'dynamodb:DeleteTable',
        'dynamodb:Describe*',
        'dynamodb:ListTagsOfResource',
        'dynamodb:TagResource',
        'dynamodb:UntagResource',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:UpdateTimeToLive',
      ],
      resources: [
        ...names.flatMap(arn.table),
        ...names.flatMap((name) => arn.table(name).map((table) => `${table}/stream/*`)),
      ],
    },
    {
      // The provider reads the table's SSE key on every create and refresh (alias/aws/dynamodb).
      sid: 'DescribeTableKey',
      effect: 'Allow',
      actions: ['kms:DescribeKey'],
      resources: arn.kmsKeys,
    },
    {
      sid: 'LambdaFunctions',
      effect: 'Allow',
      actions: [
        'lambda:CreateFunction',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'lambda:DeleteFunction',
        'lambda:PublishVersion',
        'lambda:AddPermission',
        'lambda:RemovePermission',
        'lambda:PutFunctionConcurrency',
        'lambda:DeleteFunctionConcurrency',
        'lambda:TagResource',
        'lambda:UntagResource',
        'lambda:Get*',
        'lambda:List*',
      ],
      resources: names.flatMap(arn.fn),
    },
    {
      sid: 'LogGroups',
      effect: 'Allow',
      actions: [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
        'logs:TagLogGroup',
        'logs:UntagLogGroup',
        'logs:ListTagsForResource',
        'logs:ListTagsLogGroup',
      ],
      resources: names.flatMap(arn.logGroup),
    },
    {
      sid: 'ExecutionRoles',
      effect: 'Allow',
      actions: [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:UpdateAssumeRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRoleTags',
        'iam:PutRolePolicy',
        'iam:GetRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:ListInstanceProfilesForRole',
      ],
      resources: names.map(arn.role),
    },
    {
      sid: 'ProjectManagedPolicies',
      effect: 'Allow',
      actions: [
        'iam:CreatePolicy',
        'iam:DeletePolicy',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:ListPolicyVersions',
        'iam:CreatePolicyVersion',
        'iam:DeletePolicyVersion',
        'iam:TagPolicy',
        'iam:UntagPolicy',
      ],
      resources: names.map(arn.policy),
    },
    {
      // Without the condition a deploy could attach AdministratorAccess to a role it creates.
      sid: 'AttachOnlyProjectPolicies',
      effect: 'Allow',
      actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      resources: names.map(arn.role),
      condition: [{ test: 'ArnLike', variable: 'iam:PolicyARN', values: names.map(arn.policy) }],
    },
    {
      sid: 'PassExecutionRoleToLambda',
      effect: 'Allow',
      actions: ['iam:PassRole'],
      resources: names.map(arn.role),
      condition: [
        { test: 'StringEquals', variable: 'iam:PassedToService', values: ['lambda.amazonaws.com'] },
      ],
    },
    {
      sid: 'RestApis',
      effect: 'Allow',
      actions: [
        'apigateway:GET',
        'apigateway:POST',
        'apigateway:PUT',
        'apigateway:PATCH',
        'apigateway:DELETE',
      ],
      resources: arn.restApis,
    },
    {
      sid: 'Alarms',
      effect: 'Allow',
      actions: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
        'cloudwatch:ListTagsForResource',
      ],
      resources: names.flatMap(arn.alarm),
    },
    {
      sid: 'AlarmTopics',
      effect: 'Allow',
      actions: [
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:GetTopicAttributes',
        'sns:SetTopicAttributes',
        'sns:TagResource',
        'sns:UntagResource',
        'sns:ListTagsForResource',
        'sns:Subscribe',
        'sns:ListSubscriptionsByTopic',
      ],
      resources: names.flatMap(arn.topic),
    },
    { sid: 'ListLogGroups', effect: 'Allow', actions: ['logs:DescribeLogGroups'], resources: ['*'] },
    {
      // Reading and removing the alarm email subscription: SNS subscription actions have no
      // resource-level permissions.
      sid: 'AlarmSubscriptions',
      effect: 'Allow',
      actions: ['sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:Unsubscribe'],
      resources: ['*'],
    },
    ...(arn.hostedZones.length === 0
      ? []
      : [
          {
            // The optional custom domains' alias records, in the configured zones only.
            sid: 'DnsRecords',
            effect: 'Allow',
            actions: [
              'route53:GetHostedZone',
              'route53:ListResourceRecordSets',
              'route53:ChangeResourceRecordSets',
            ],
            resources: arn.hostedZones,
          },
          { sid: 'DnsChanges', effect: 'Allow', actions: ['route53:GetChange'], resources: [arn.dnsChanges] },
        ]),
    {
      // Associating the optional WAF ACL (wafWebAclArn) with a stage needs rights on both sides.
      sid: 'WebAclAssociation',
      effect: 'Allow',
      actions: [
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'wafv2:GetWebACLForResource',
        'wafv2:GetWebACL',
        'apigateway:SetWebACL',
      ],
      resources: [...arn.webAcls, ...arn.restApis],
    },
  ];
}
