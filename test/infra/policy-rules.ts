/**
 * The infrastructure policy we adopt, as pure functions over synthesized Terraform JSON (the
 * cdk.tf.json of a stack). No maintained IaC scanner installs here from npm or Debian, so these
 * are the Checkov checks we rely on, rewritten; each names its Checkov id. A rule returns its
 * violations, so a test can show what broke and a broken fixture can prove the rule bites.
 */

type Body = Record<string, unknown>;

/** The parts of a synthesized stack the rules read. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Body>>;
  readonly data?: Record<string, Record<string, Body>>;
}

export interface Violation {
  readonly address: string;
  readonly problem: string;
}

export interface PolicyRule {
  /** Checkov id(s) of the equivalent check, or our own id for rules Checkov has no single id for. */
  readonly id: string;
  readonly title: string;
  /** Resource types the rule reads; a stack set with none of them would pass it vacuously. */
  readonly appliesTo: readonly string[];
  readonly check: (config: TerraformJson) => Violation[];
}

function each(config: TerraformJson, type: string): [address: string, body: Body][] {
  return Object.entries(config.resource?.[type] ?? {}).map(([name, body]) => [`${type}.${name}`, body]);
}

/** cdktf writes a single nested block as an object, Terraform's plan as a one-element list. */
function block(value: unknown): Body | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' ? (first as Body) : undefined;
}

function violations<T>(items: T[], problem: (item: T) => Violation | undefined): Violation[] {
  return items.flatMap((item) => problem(item) ?? []);
}

const every =
  (type: string, test: (body: Body) => string | undefined) =>
  (config: TerraformJson): Violation[] =>
    violations(each(config, type), ([address, body]) => {
      const problem = test(body);
      return problem === undefined ? undefined : { address, problem };
    });

export const CKV_AWS_28: PolicyRule = {
  id: 'CKV_AWS_28',
  appliesTo: ['aws_dynamodb_table'],
  title: 'every DynamoDB table has point-in-time recovery',
  check: every('aws_dynamodb_table', (t) =>
    block(t.point_in_time_recovery)?.enabled === true ? undefined : 'point_in_time_recovery is not enabled',
  ),
};

export const CKV_AWS_50: PolicyRule = {
  id: 'CKV_AWS_50',
  appliesTo: ['aws_lambda_function'],
  title: 'every Lambda function traces with X-Ray (Active)',
  check: every('aws_lambda_function', (f) =>
    block(f.tracing_config)?.mode === 'Active' ? undefined : 'tracing_config.mode is not Active',
  ),
};

export const CKV_AWS_66: PolicyRule = {
  id: 'CKV_AWS_66',
  appliesTo: ['aws_cloudwatch_log_group', 'aws_lambda_function'],
  title: 'every log group has a retention, and every function logs into a managed log group',
  check: (config) => [
    ...every('aws_cloudwatch_log_group', (g) =>
      typeof g.retention_in_days === 'number' && g.retention_in_days > 0
        ? undefined
        : 'retention_in_days is not set, so logs are kept forever',
    )(config),
    // Otherwise Lambda creates /aws/lambda/<name> on first invoke, with no retention and outside the stack.
    ...every('aws_lambda_function', (f) =>
      String(block(f.logging_config)?.log_group ?? '').startsWith('${aws_cloudwatch_log_group.')
        ? undefined
        : 'logging_config.log_group is not a log group of this stack',
    )(config),
  ],
};

export const CKV_AWS_76: PolicyRule = {
  id: 'CKV_AWS_76',
  appliesTo: ['aws_api_gateway_stage'],
  title: 'every API Gateway stage writes access logs',
  check: every('aws_api_gateway_stage', (s) => {
    const settings = block(s.access_log_settings);
    return settings?.destination_arn && settings.format ? undefined : 'access_log_settings is missing';
  }),
};

export const CKV_AWS_73: PolicyRule = {
  id: 'CKV_AWS_73',
  appliesTo: ['aws_api_gateway_stage'],
  title: 'every API Gateway stage traces with X-Ray',
  check: every('aws_api_gateway_stage', (s) =>
    s.xray_tracing_enabled === true ? undefined : 'xray_tracing_enabled is not true',
  ),
};

const SECRET_NAME = /secret|passw(or)?d|token|api[_-]?key|private[_-]?key|access[_-]?key|credential/i;
const SECRET_VALUE = [
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}/, // GitHub tokens
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack tokens
  /(secret|passw(or)?d|token)\s*[:=]\s*\S+/i,
];

export const CKV_AWS_45: PolicyRule = {
  id: 'CKV_AWS_45',
  appliesTo: ['aws_lambda_function'],
  title: 'no secrets in Lambda environment variables',
  check: (config) =>
    each(config, 'aws_lambda_function').flatMap(([address, f]) => {
      const variables = (block(f.environment)?.variables ?? {}) as Record<string, unknown>;
      return Object.entries(variables).flatMap(([name, value]) => {
        if (SECRET_NAME.test(name)) return [{ address, problem: `variable ${name} is named like a secret` }];
        if (SECRET_VALUE.some((pattern) => pattern.test(String(value)))) {
          return [{ address, problem: `variable ${name} holds something that looks like a secret` }];
        }
        return [];
      });
    }),
};

export const CKV_AWS_217: PolicyRule = {
  id: 'CKV_AWS_217',
  appliesTo: ['aws_api_gateway_deployment'],
  title: 'every API Gateway deployment is created before the old one is destroyed',
  check: every('aws_api_gateway_deployment', (d) =>
    block(d.lifecycle)?.create_before_destroy === true
      ? undefined
      : 'lifecycle.create_before_destroy is not true, so a redeploy leaves the stage without a deployment',
  ),
};

export const CKV_AWS_364_301: PolicyRule = {
  id: 'CKV_AWS_364 / CKV_AWS_301',
  appliesTo: ['aws_lambda_permission'],
  title: 'every Lambda permission names one service principal and a source ARN',
  check: every('aws_lambda_permission', (p) => {
    const principal = String(p.principal ?? '');
    if (principal.includes('*') || !/^[a-z0-9.-]+\.amazonaws\.com$/.test(principal)) {
      return `principal ${JSON.stringify(principal)} is not a single AWS service`;
    }
    const source = String(p.source_arn ?? '');
    if (source === '' || source === '*')
      return 'source_arn is missing, so any account can invoke through the service';
    if (p.action !== 'lambda:InvokeFunction')
      return `action ${JSON.stringify(p.action)} is not lambda:InvokeFunction`;
    return undefined;
  }),
};

/** One IAM statement, wherever it was written: a JSON policy string or an aws_iam_policy_document block. */
export interface Statement {
  readonly address: string;
  readonly sid: string | undefined;
  readonly effect: string;
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  readonly hasPrincipal: boolean;
  readonly conditions: { test: string; variable: string; values: string[] }[];
}

const list = (value: unknown): string[] => (value === undefined ? [] : [value].flat().map(String));

/** A JSON policy document; a reference (`${data....json}`) is skipped, since its document is read itself. */
function jsonStatements(address: string, policy: unknown): Statement[] {
  if (typeof policy !== 'string' || policy.startsWith('${')) return [];
  const doc = JSON.parse(policy) as { Statement: Body[] | Body };
  return [doc.Statement].flat().map((s) => ({
    address,
    sid: s.Sid as string | undefined,
    effect: String(s.Effect),
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    hasPrincipal: s.Principal !== undefined,
    conditions: Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(
      ([test, byVariable]) =>
        Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: list(values) })),
    ),
  }));
}

/** Every IAM statement of a stack: role, identity and resource policies and policy documents. */
export function iamStatements(config: TerraformJson): Statement[] {
  const fromJson: [type: string, attribute: string][] = [
    ['aws_iam_role_policy', 'policy'],
    ['aws_iam_policy', 'policy'],
    ['aws_iam_role', 'assume_role_policy'],
    ['aws_s3_bucket_policy', 'policy'],
    ['aws_sns_topic_policy', 'policy'],
  ];
  const json = fromJson.flatMap(([type, attribute]) =>
    each(config, type).flatMap(([address, body]) => jsonStatements(address, body[attribute])),
  );
  const documents = Object.entries(config.data?.aws_iam_policy_document ?? {}).flatMap(([name, doc]) =>
    [doc.statement ?? []].flat().map((s) => {
      const statement = s as Body;
      return {
        address: `data.aws_iam_policy_document.${name}`,
        sid: statement.sid as string | undefined,
        effect: String(statement.effect ?? 'Allow'),
        actions: list(statement.actions),
        notActions: list(statement.not_actions),
        resources: list(statement.resources),
        notResources: list(statement.not_resources),
        hasPrincipal: statement.principals !== undefined,
        conditions: [statement.condition ?? []].flat().map((c) => {
          const condition = c as Body;
          return {
            test: String(condition.test),
            variable: String(condition.variable),
            values: list(condition.values),
          };
        }),
      };
    }),
  );
  return [...json, ...documents];
}

const isWildcardAction = (action: string) => action === '*' || /^[a-z0-9-]+:\*$/i.test(action);

export const IAM_NO_WILDCARD_ACTION: PolicyRule = {
  id: 'IAM-1 (cf. CKV_AWS_49, CKV_AWS_63)',
  appliesTo: ['aws_iam_role_policy', 'aws_iam_role'],
  title: 'no Allow statement grants "*", "<service>:*" or NotAction',
  check: (config) =>
    violations(
      iamStatements(config).filter((s) => s.effect === 'Allow'),
      (s) => {
        const wildcards = s.actions.filter(isWildcardAction);
        if (s.notActions.length > 0)
          return { address: s.address, problem: `${s.sid ?? 'a statement'} uses NotAction` };
        return wildcards.length === 0
          ? undefined
          : { address: s.address, problem: `${s.sid ?? 'a statement'} allows ${wildcards.join(', ')}` };
      },
    ),
};

/**
 * The statements allowed to reach every resource of their actions, each with its reason. A
 * statement matches by Sid and only while all its actions are listed, so widening one still fails.
 */
export const UNSCOPED_RESOURCE_EXCEPTIONS: readonly { sid: string; actions: string[]; reason: string }[] = [
  {
    sid: 'WriteTraces',
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    reason: 'X-Ray write actions have no resource-level permissions',
  },
  {
    sid: 'LogGroupList',
    actions: ['logs:DescribeLogGroups'],
    reason: 'CI roles: DescribeLogGroups is a list call with no per-group resource',
  },
  {
    sid: 'Kms',
    actions: ['kms:DescribeKey'],
    reason:
      'CI roles: the table is encrypted with the AWS managed key (alias/aws/dynamodb), whose key id is generated per account and region; DescribeKey reads metadata only',
  },
  {
    sid: 'ApiGatewayRead',
    actions: ['apigateway:GET'],
    reason:
      'CI roles: REST API ARNs carry generated ids, domain names are your own, and the account settings have no name',
  },
  {
    sid: 'ApiGateway',
    actions: ['apigateway:GET', 'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'],
    reason:
      "deploy roles: REST API ARNs carry the generated API id and domain ARNs your own names, so neither can be scoped by prefix; each environment's role is denied changes to what another stack tagged",
  },
  {
    sid: 'SnsSubscriptionsRead',
    actions: ['sns:GetSubscriptionAttributes'],
    reason: 'plan role: SNS subscription actions have no resource-level permissions',
  },
  {
    sid: 'SnsSubscriptions',
    actions: ['sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:Unsubscribe'],
    reason: 'deploy role: SNS subscription actions have no resource-level permissions',
  },
  {
    sid: 'Wafv2Read',
    actions: ['wafv2:GetWebACLForResource', 'wafv2:GetWebACL'],
    reason: "plan role: the optional WAF web ACL is the user's own, so its ARN carries no project name",
  },
  {
    sid: 'Wafv2',
    actions: [
      'wafv2:GetWebACLForResource',
      'wafv2:GetWebACL',
      'wafv2:AssociateWebACL',
      'wafv2:DisassociateWebACL',
      'apigateway:SetWebACL',
    ],
    reason: "deploy role: the optional WAF web ACL is the user's own, and REST API ARNs carry generated ids",
  },
  {
    sid: 'Route53Read',
    actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
    reason: "plan role: the custom domains' hosted zones are the user's own, named by id in infra/config.ts",
  },
  {
    sid: 'Route53',
    actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets', 'route53:ChangeResourceRecordSets'],
    reason:
      "deploy role: the custom domains' hosted zones are the user's own, named by id in infra/config.ts",
  },
  {
    sid: 'Route53ChangesManage',
    actions: ['route53:GetChange'],
    reason: 'deploy role: a record change is tracked under a generated, account-wide change id',
  },
];

/**
 * Scoped: the resource names something of this project, through a Terraform reference to a
 * resource (`${aws_…}`) or the project's name prefix. `*`, or an ARN ending in a bare `*` with
 * neither (all REST APIs of a region), is unscoped.
 */
export function isScopedResource(resource: string, projectPrefix: string): boolean {
  if (resource === '*') return false;
  return resource.includes('${aws_') || resource.includes(projectPrefix);
}

export function iamScopedResources(projectPrefix: string): PolicyRule {
  return {
    id: 'IAM-2 (cf. CKV_AWS_355)',
    appliesTo: ['aws_iam_role_policy', 'aws_iam_role'],
    title: `no Allow statement reaches beyond the project (${projectPrefix}) except the listed exceptions`,
    check: (config) =>
      violations(
        // Trust policies name principals and have no resources.
        iamStatements(config).filter((s) => s.effect === 'Allow' && !s.hasPrincipal),
        (s) => {
          if (s.notResources.length > 0)
            return { address: s.address, problem: `${s.sid ?? 'a statement'} uses NotResource` };
          const unscoped = s.resources.filter((r) => !isScopedResource(r, projectPrefix));
          if (s.resources.length > 0 && unscoped.length === 0) return undefined;
          const exception = UNSCOPED_RESOURCE_EXCEPTIONS.find((e) => e.sid === s.sid);
          if (exception !== undefined && s.actions.every((a) => exception.actions.includes(a)))
            return undefined;
          return {
            address: s.address,
            problem: `${s.sid ?? 'a statement'} allows ${s.actions.join(', ')} on ${unscoped.join(', ') || 'no resource'}`,
          };
        },
      ),
  };
}

/** The one resource of `type` whose `bucket` refers to the bucket at `bucketAddress`. */
function forBucket(config: TerraformJson, type: string, bucketAddress: string): [string, Body] | undefined {
  return each(config, type).find(([, body]) => String(body.bucket ?? '').startsWith(`\${${bucketAddress}.`));
}

const everyBucket =
  (test: (config: TerraformJson, bucket: string) => string[]) =>
  (config: TerraformJson): Violation[] =>
    each(config, 'aws_s3_bucket').flatMap(([address]) =>
      test(config, address).map((problem) => ({ address, problem })),
    );

const PUBLIC_ACCESS_SETTINGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
] as const;

export const S3_PUBLIC_ACCESS_BLOCK: PolicyRule = {
  id: 'CKV_AWS_53 / 54 / 55 / 56',
  appliesTo: ['aws_s3_bucket'],
  title: 'every S3 bucket has a public access block with all four settings on',
  check: everyBucket((config, bucket) => {
    const settings = forBucket(config, 'aws_s3_bucket_public_access_block', bucket)?.[1];
    return PUBLIC_ACCESS_SETTINGS.filter((s) => settings?.[s] !== true).map((s) => `${s} is not true`);
  }),
};

export const S3_ENCRYPTION: PolicyRule = {
  id: 'CKV_AWS_19',
  appliesTo: ['aws_s3_bucket'],
  title: 'every S3 bucket encrypts objects by default',
  check: everyBucket((config, bucket) => {
    const sse = forBucket(config, 'aws_s3_bucket_server_side_encryption_configuration', bucket)?.[1];
    const rule = block(sse?.rule);
    const algorithm = block(rule?.apply_server_side_encryption_by_default)?.sse_algorithm;
    return ['AES256', 'aws:kms', 'aws:kms:dsse'].includes(String(algorithm))
      ? []
      : ['no default server-side encryption'];
  }),
};

export const S3_TLS_ONLY: PolicyRule = {
  id: 'AWS Config s3-bucket-ssl-requests-only',
  appliesTo: ['aws_s3_bucket', 'aws_s3_bucket_policy'],
  title: 'every S3 bucket policy denies requests without TLS, for the bucket and its objects',
  check: everyBucket((config, bucket) => {
    const policy = forBucket(config, 'aws_s3_bucket_policy', bucket);
    if (policy === undefined) return ['no bucket policy'];
    // The policy is either JSON or a reference to a policy document of the stack.
    const document = /^\$\{(data\.aws_iam_policy_document\.[^.]+)\.json\}$/.exec(
      String(policy[1].policy),
    )?.[1];
    const source = document ?? policy[0];
    const denies = iamStatements(config).some(
      (s) =>
        s.address === source &&
        s.effect === 'Deny' &&
        s.resources.includes(`\${${bucket}.arn}`) &&
        s.resources.includes(`\${${bucket}.arn}/*`) &&
        s.conditions.some(
          (c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && c.values.join() === 'false',
        ),
    );
    return denies
      ? []
      : ['the bucket policy does not deny aws:SecureTransport = false on the bucket and its objects'];
  }),
};

/** Every rule, in the order SECURITY.md lists them. */
export function policyRules(projectPrefix: string): PolicyRule[] {
  return [
    CKV_AWS_28,
    CKV_AWS_50,
    CKV_AWS_66,
    CKV_AWS_76,
    CKV_AWS_73,
    CKV_AWS_45,
    CKV_AWS_217,
    CKV_AWS_364_301,
    IAM_NO_WILDCARD_ACTION,
    iamScopedResources(projectPrefix),
    S3_PUBLIC_ACCESS_BLOCK,
    S3_ENCRYPTION,
    S3_TLS_ONLY,
  ];
}
