import type { DataAwsIamPolicyDocumentStatement as Statement } from '../toolchain';
import { BOOTSTRAP_STATE_KEY, type PolicyContext, resourceArns, servesAny } from './ci-resource-arns';

/**
 * What the CI roles may do, as one table with a row per service: what a plan reads and what only
 * a deploy changes, and where. The rows are built for a set of environments: every one for the
 * plan role, which gets each row's `read` (and `alsoRead`, the bootstrap's own resources); one for
 * each environment's deploy role, which gets `read` plus `manage` on that environment's resources
 * only. So the plan role reads nothing of an environment that its deploy role cannot, by
 * construction. Plain data, so it can be read and tested apart from the stack.
 */

export type Condition = NonNullable<Statement['condition']>;

/** One service's row: `sid` names its statements. */
export interface ServiceAccess {
  readonly sid: string;
  /** Why the resources are what they are, especially where they cannot be scoped by name. */
  readonly why: string;
  /** Where the row applies: the environments' own resources, or what no name can scope. */
  readonly resources: readonly string[];
  /** What a plan reads (both roles). */
  readonly read?: readonly string[];
  /**
   * Where the plan role also reads, beyond `resources`: the bootstrap's own resources, which only an
   * administrator changes but a pull request plans.
   * @default - `resources` only
   */
  readonly alsoRead?: readonly string[];
  /** What only a deploy changes. */
  readonly manage?: readonly string[];
  /** Only on rows without reads, so a condition never narrows what the plan role may read. */
  readonly manageCondition?: Condition;
  /**
   * Of `manage`, the actions whose resources carry no environment name (API Gateway's generated
   * ids). A single environment's deploy role may take them only where the resource, or the tags
   * a request sets, are not another stack's: the provider tags everything with its stack.
   */
  readonly byStackTag?: readonly string[];
}

export function serviceAccess(context: PolicyContext): ServiceAccess[] {
  const arn = resourceArns(context);
  const bucket = context.stateBucketArn;
  const apiGatewayChanges = ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'];
  // Setting a resource policy takes this besides PATCH, only for environments that have one.
  const setsPolicy = servesAny(context, context.resourcePolicyEnvironments)
    ? ['apigateway:UpdateRestApiPolicy']
    : [];
  const rows: ServiceAccess[] = [
    {
      sid: 'StateBucket',
      why: 'the state bucket: list it, and read its settings to plan the bootstrap itself',
      resources: [bucket],
      read: [
        's3:ListBucket',
        's3:GetBucket*',
        's3:GetEncryptionConfiguration',
        's3:GetLifecycleConfiguration',
        's3:GetReplicationConfiguration',
        's3:GetAccelerateConfiguration',
      ],
    },
    {
      sid: 'StateObjects',
      why: "each environment's state object and lock file; a plan never writes, not even the lock (pull requests plan with -lock=false)",
      resources: arn.stateObjects,
      read: ['s3:GetObject'],
      // A pull request plans the bootstrap too, from its migrated state.
      alsoRead: [`${bucket}/${BOOTSTRAP_STATE_KEY}`],
      manage: ['s3:PutObject', 's3:DeleteObject'],
    },
    {
      sid: 'GithubOidc',
      why: "the account's GitHub OIDC provider, read to plan the bootstrap",
      resources: [],
      read: ['iam:GetOpenIDConnectProvider'],
      alsoRead: [context.oidcProviderArn],
    },
    {
      sid: 'DynamoDb',
      why: 'control plane only: no GetItem, Query or Scan, so CI can neither read nor change item data',
      resources: arn.tables,
      read: ['dynamodb:Describe*', 'dynamodb:ListTagsOfResource'],
      manage: [
        'dynamodb:CreateTable',
        'dynamodb:UpdateTable',
        'dynamodb:DeleteTable',
        'dynamodb:TagResource',
        'dynamodb:UntagResource',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:UpdateTimeToLive',
      ],
    },
    {
      sid: 'Kms',
      why: "the table's AWS managed key (alias/aws/dynamodb), read on every refresh; its id is per account and region",
      resources: arn.kmsKeys,
      read: ['kms:DescribeKey'],
    },
    {
      sid: 'Lambda',
      why: 'on function ARNs these reads are configuration (and the function code)',
      resources: arn.functions,
      read: ['lambda:Get*', 'lambda:List*'],
      manage: [
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
      ],
    },
    {
      sid: 'Logs',
      why: 'the function and access log groups',
      resources: arn.logGroups,
      read: ['logs:ListTagsForResource', 'logs:ListTagsLogGroup'],
      manage: [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
        'logs:TagLogGroup',
        'logs:UntagLogGroup',
      ],
    },
    {
      sid: 'LogGroupList',
      why: 'DescribeLogGroups is a list call with no per-group resource',
      resources: ['*'],
      read: ['logs:DescribeLogGroups'],
    },
    {
      sid: 'IamRoles',
      why: "the functions' execution roles; a deploy writes their inline policies, which is what deploying one means",
      resources: arn.roles,
      read: [
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:ListRoleTags',
      ],
      alsoRead: arn.bootstrapRoles,
      manage: [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:UpdateAssumeRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        // Needed to delete a role, not to plan one.
        'iam:ListInstanceProfilesForRole',
      ],
    },
    {
      sid: 'IamPolicies',
      why: "the project's own managed policies",
      resources: arn.policies,
      read: ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions'],
      manage: [
        'iam:CreatePolicy',
        'iam:DeletePolicy',
        'iam:CreatePolicyVersion',
        'iam:DeletePolicyVersion',
        'iam:TagPolicy',
        'iam:UntagPolicy',
      ],
    },
    {
      sid: 'IamAttach',
      why: 'without the condition a deploy could attach AdministratorAccess to a role it creates',
      resources: arn.roles,
      manage: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      manageCondition: [{ test: 'ArnLike', variable: 'iam:PolicyARN', values: arn.policies }],
    },
    {
      sid: 'IamPassRole',
      why: 'the execution roles, to Lambda only',
      resources: arn.roles,
      manage: ['iam:PassRole'],
      manageCondition: [
        { test: 'StringEquals', variable: 'iam:PassedToService', values: ['lambda.amazonaws.com'] },
      ],
    },
    {
      sid: 'ApiGateway',
      why: 'REST API, domain, usage plan and key ARNs carry generated ids or your own names, never the project prefix',
      resources: [...arn.apiGateway, ...arn.apiKeys],
      read: ['apigateway:GET'],
      // The account settings (API Gateway's logging role), read to plan the bootstrap.
      alsoRead: arn.apiGatewayAccount,
      manage: [...apiGatewayChanges, ...setsPolicy],
      byStackTag: [...apiGatewayChanges, ...setsPolicy],
    },
    {
      sid: 'CloudWatch',
      why: 'the alarms on the API, the function and the table',
      resources: arn.alarms,
      read: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'],
      manage: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
      ],
    },
    {
      sid: 'Sns',
      why: 'the optional topic every alarm notifies',
      resources: arn.topics,
      read: ['sns:GetTopicAttributes', 'sns:ListTagsForResource'],
      manage: [
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:SetTopicAttributes',
        'sns:TagResource',
        'sns:UntagResource',
        'sns:Subscribe',
        'sns:ListSubscriptionsByTopic',
      ],
    },
    {
      sid: 'SnsSubscriptions',
      why: 'the alarm email subscription: SNS subscription actions have no resource-level permissions',
      resources: ['*'],
      read: ['sns:GetSubscriptionAttributes'],
      manage: ['sns:SetSubscriptionAttributes', 'sns:Unsubscribe'],
    },
    {
      sid: 'Wafv2',
      why: 'the optional WAF web ACL is yours (often shared), so its ARN has no project name; associating one is also an API Gateway action',
      resources: [...arn.webAcls, ...arn.apiGateway],
      read: ['wafv2:GetWebACLForResource', 'wafv2:GetWebACL'],
      manage: ['wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'apigateway:SetWebACL'],
      byStackTag: ['apigateway:SetWebACL'],
    },
  ];
  if (arn.hostedZones.length > 0) {
    rows.push(
      {
        sid: 'Route53',
        why: "the custom domains' alias records, in the zones named in infra/config.ts only",
        resources: arn.hostedZones,
        read: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
        manage: ['route53:ChangeResourceRecordSets'],
      },
      {
        sid: 'Route53Changes',
        why: 'a record change is tracked under a generated, account-wide change id',
        resources: [`arn:${context.partition}:route53:::change/*`],
        manage: ['route53:GetChange'],
      },
    );
  }
  return rows;
}
