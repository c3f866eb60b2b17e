import { stateKey } from '../state-backend';

/** The key the bootstrap stack's own state uses once migrated; no deploy role may write it. */
export const BOOTSTRAP_STATE_KEY = 'bootstrap/terraform.tfstate';

/** Where the CI roles act: the account, its regions and the names the environments use. */
export interface PolicyContext {
  readonly partition: string;
  /** Regions the environment stacks deploy into; regional ARNs are listed once per region. */
  readonly regions: readonly string[];
  /** Route 53 zones the environments' custom domains write their records in. */
  readonly hostedZoneIds: readonly string[];
  readonly accountId: string;
  readonly namePrefix: string;
  /** The environments a role serves: one for a deploy role, every one for the plan role. */
  readonly environments: readonly string[];
  readonly stateBucketArn: string;
  readonly oidcProviderArn: string;
  /**
   * The environments (of every one the bootstrap serves) that give consumers API keys: a role
   * reaches usage plans and keys only when one of its `environments` is among them, since their
   * ARNs carry generated ids (so they cover every key in the region, values included).
   * @default []
   */
  readonly apiKeyEnvironments?: readonly string[];
  /**
   * The environments whose API has a resource policy (IAM callers or network limits): a deploy
   * role may set one (`apigateway:UpdateRestApiPolicy`) only when it serves one of them.
   * @default []
   */
  readonly resourcePolicyEnvironments?: readonly string[];
}

/** Whether a role serving `context.environments` serves one of `among`. */
export function servesAny(context: PolicyContext, among: readonly string[] = []): boolean {
  return context.environments.some((environment) => among.includes(environment));
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
    // Each stack's state object and its S3 lock file (`use_lockfile`), by the keys the backend uses.
    stateObjects: context.environments.flatMap((env) => {
      const key = `${context.stateBucketArn}/${stateKey(env)}`;
      return [key, `${key}.tflock`];
    }),
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
    apiKeys: apiGatewayPaths(
      servesAny(context, context.apiKeyEnvironments)
        ? ['usageplans', 'usageplans/*', 'apikeys', 'apikeys/*']
        : [],
    ),
    apiGatewayAccount: regions.map((region) => `arn:${partition}:apigateway:${region}::/account`),
    hostedZones: context.hostedZoneIds.map((zone) => `arn:${partition}:route53:::hostedzone/${zone}`),
  };
}
