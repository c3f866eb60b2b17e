/** Where the CI roles act: the account, its regions and the names the environments use. */
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
  /**
   * Whether an environment gives consumers API keys: only then may the roles reach usage plans
   * and keys, whose ARNs carry generated ids (so they cover every key in the region, values included).
   * @default false
   */
  readonly apiKeys?: boolean;
  /**
   * Whether an environment gives its API a resource policy (IAM callers or network limits): only
   * then may the deploy role set one (`apigateway:UpdateRestApiPolicy`).
   * @default false
   */
  readonly resourcePolicies?: boolean;
}

/**
 * The ARNs of what CI deploys, built from the names the environment stacks give their resources:
 * `<prefix>-<env>` and `<prefix>-<env>-…`, in every region an environment uses.
 */
export function resourceArns(context: PolicyContext) {
  const { partition, regions, accountId } = context;
  const regional = (service: string, resource: string) =>
    regions.map((region) => `arn:${partition}:${service}:${region}:${accountId}:${resource}`);
  // `<prefix>-<env>` and `<prefix>-<env>-…` for each environment: the names of what CI deploys.
  const environments = context.environments.flatMap((env) => [
    `${context.namePrefix}-${env}`,
    `${context.namePrefix}-${env}-*`,
  ]);
  const named = (arn: (name: string) => string[]) => environments.flatMap(arn);
  const role = (name: string) => [`arn:${partition}:iam::${accountId}:role/${name}`];
  const apiGatewayPaths = (paths: readonly string[]) =>
    regions.flatMap((region) => paths.map((path) => `arn:${partition}:apigateway:${region}::/${path}`));
  return {
    tables: named((name) => regional('dynamodb', `table/${name}`)),
    functions: named((name) => regional('lambda', `function:${name}`)),
    // Lambda and API Gateway log groups live under different paths (/aws/lambda/…, /aws/apigateway/…),
    // so the prefix is matched anywhere in the name.
    logGroups: named((name) => regional('logs', `log-group:*${name}`)),
    roles: named(role),
    // The CI roles and API Gateway's logging role, which a plan of the bootstrap reads.
    bootstrapRoles: role(`${context.namePrefix}-*`),
    policies: named((name) => [`arn:${partition}:iam::${accountId}:policy/${name}`]),
    alarms: named((name) => regional('cloudwatch', `alarm:${name}`)),
    topics: named((name) => regional('sns', name)),
    kmsKeys: regional('kms', 'key/*'),
    webAcls: regional('wafv2', 'regional/webacl/*/*'),
    apiGateway: apiGatewayPaths(['restapis', 'restapis/*', 'domainnames', 'domainnames/*', 'tags/*']),
    // Usage plans and keys (values included) carry generated ids only: reachable only when used.
    apiKeys: apiGatewayPaths(context.apiKeys ? ['usageplans', 'usageplans/*', 'apikeys', 'apikeys/*'] : []),
    apiGatewayAccount: regions.map((region) => `arn:${partition}:apigateway:${region}::/account`),
    hostedZones: context.hostedZoneIds.map((zone) => `arn:${partition}:route53:::hostedzone/${zone}`),
  };
}
