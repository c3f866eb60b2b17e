import { needsResourcePolicy } from '#shared/access';
import {
  checkEnvironmentName,
  checkGithubOidcProviderArn,
  checkGithubOwner,
  checkGithubRepo,
  checkHostedZoneId,
  checkProjectPrefix,
  checkRegion,
  checkStateBucketName,
} from '#shared/rules';
import { Validator } from '#shared/validation';
import { ENVIRONMENTS, type EnvironmentConfig } from '../config';

/**
 * Configuration of the once-per-account bootstrap stack: which GitHub repository may assume the CI
 * roles, and where Terraform state lives. Validated at synth time so a typo fails before AWS sees it.
 */
export interface BootstrapStackProps {
  /** AWS region of the state bucket (and of this stack's own resources). */
  readonly region: string;
  /**
   * Regions the environment stacks deploy into: the CI roles may act there, whatever region the
   * bucket is in. `bootstrapPropsFromEnv` takes them from `infra/config.ts`.
   * @default [region]
   */
  readonly environmentRegions?: readonly string[];
  /**
   * Route 53 hosted zones the environments' custom domains put their alias records in; the deploy
   * role may change records in these zones only. `bootstrapPropsFromEnv` takes them from
   * `infra/config.ts`.
   * @default []
   */
  readonly hostedZoneIds?: readonly string[];
  /**
   * Whether an environment gives consumers API keys (`api.access.mode: 'api-key'`): the CI roles
   * then manage usage plans and keys. `bootstrapPropsFromEnv` takes it from `infra/config.ts`.
   * @default false
   */
  readonly apiKeys?: boolean;
  /**
   * Whether an environment gives its API a resource policy (`api.access` with IAM callers or
   * network limits): the deploy role may then set it. `bootstrapPropsFromEnv` takes it from
   * `infra/config.ts`.
   * @default false
   */
  readonly resourcePolicies?: boolean;
  /** GitHub user or organisation that owns the repository, exactly as in the OIDC `sub` claim. */
  readonly githubOwner: string;
  /** GitHub repository name, exactly as in the OIDC `sub` claim. */
  readonly githubRepo: string;
  /** Globally unique S3 bucket for the Terraform state of every stack. */
  readonly stateBucketName: string;
  /**
   * Prefix of every resource name the application stacks create; the deploy role may manage only
   * resources named `<namePrefix>-<environment>…`.
   * @default 'item-api'
   */
  readonly namePrefix?: string;
  /**
   * GitHub Environments (and application stacks) the deploy role serves; each becomes an OIDC
   * subject `repo:<owner>/<repo>:environment:<name>`.
   * @default ['dev', 'prod']
   */
  readonly environments?: readonly string[];
  /**
   * An account holds one OIDC provider per issuer URL. When another project already created the
   * GitHub one, pass its ARN and this stack reuses it instead of failing on a duplicate.
   * @default undefined (the stack creates the provider)
   */
  readonly existingOidcProviderArn?: string;
  /**
   * Manage API Gateway's account-level CloudWatch Logs role (`<namePrefix>-apigateway-cloudwatch`)
   * in every environment region. Turn it off when the account already has one set: the setting is
   * one per region, so two stacks managing it would overwrite each other.
   * @default true
   */
  readonly apiGatewayLogsRole?: boolean;
  /**
   * Keep this stack's own state in the bucket it creates. The first deploy must use local state
   * (the bucket does not exist yet); then set this and run `cdktf deploy bootstrap --migrate-state`.
   * @default false
   */
  readonly remoteState?: boolean;
}

export type ResolvedBootstrapProps = Required<Omit<BootstrapStackProps, 'existingOidcProviderArn'>> &
  Pick<BootstrapStackProps, 'existingOidcProviderArn'>;

export const BOOTSTRAP_DEFAULTS = {
  namePrefix: 'item-api',
  environments: ['dev', 'prod'],
  apiGatewayLogsRole: true,
  remoteState: false,
} as const;

/** The CI roles are `<prefix>-github-plan` and `<prefix>-github-deploy`. */
export const CI_ROLE_SEGMENT = 'github';

/** API Gateway's logging role is `<prefix>-apigateway-cloudwatch`. */
export const API_GATEWAY_ROLE_SEGMENT = 'apigateway';

/** Fills defaults and throws one ConfigValidationError listing every invalid setting. */
export function resolveBootstrapProps(props: BootstrapStackProps): ResolvedBootstrapProps {
  const resolved: ResolvedBootstrapProps = {
    region: props.region,
    environmentRegions: props.environmentRegions ?? [props.region],
    hostedZoneIds: props.hostedZoneIds ?? [],
    apiKeys: props.apiKeys ?? false,
    resourcePolicies: props.resourcePolicies ?? false,
    githubOwner: props.githubOwner,
    githubRepo: props.githubRepo,
    stateBucketName: props.stateBucketName,
    namePrefix: props.namePrefix ?? BOOTSTRAP_DEFAULTS.namePrefix,
    environments: props.environments ?? BOOTSTRAP_DEFAULTS.environments,
    apiGatewayLogsRole: props.apiGatewayLogsRole ?? BOOTSTRAP_DEFAULTS.apiGatewayLogsRole,
    remoteState: props.remoteState ?? BOOTSTRAP_DEFAULTS.remoteState,
    existingOidcProviderArn: props.existingOidcProviderArn,
  };

  const at = Validator.for('bootstrap')
    .check('region', resolved.region, checkRegion)
    .check('githubOwner', resolved.githubOwner, checkGithubOwner)
    .check('githubRepo', resolved.githubRepo, checkGithubRepo)
    .check('stateBucketName', resolved.stateBucketName, checkStateBucketName)
    .check('namePrefix', resolved.namePrefix, checkProjectPrefix)
    .check('existingOidcProviderArn', resolved.existingOidcProviderArn, checkGithubOidcProviderArn)
    .report(
      'environmentRegions',
      resolved.environmentRegions.length > 0 ? undefined : 'must name at least one region',
    )
    .report(
      'environments',
      resolved.environments.length > 0 ? undefined : 'must name at least one environment',
    )
    .report(
      'environments',
      new Set(resolved.environments).size === resolved.environments.length ? undefined : 'must not repeat',
    );
  for (const [i, region] of resolved.environmentRegions.entries()) {
    at.check(`environmentRegions[${i}]`, region, checkRegion);
  }
  for (const [i, zone] of resolved.hostedZoneIds.entries())
    at.check(`hostedZoneIds[${i}]`, zone, checkHostedZoneId);
  resolved.environments.forEach((environment, i) => {
    at.check(`environments[${i}]`, environment, checkEnvironmentName);
    // The CI roles are named <prefix>-github-* and the logging role <prefix>-apigateway-*; an
    // environment of either name would let deploys edit them.
    const reserved = [CI_ROLE_SEGMENT, API_GATEWAY_ROLE_SEGMENT].includes(environment);
    at.report(
      `environments[${i}]`,
      reserved ? `"${environment}" is reserved for the CI and logging roles` : undefined,
    );
  });
  at.throwIfInvalid('bootstrap configuration');
  return resolved;
}

/**
 * Props from the environment, so `main.ts` needs no edits per fork of this repository.
 * GitHub Actions sets GITHUB_REPOSITORY (`owner/repo`); locally set GITHUB_OWNER and GITHUB_REPO.
 * The placeholders keep `cdktf synth` working with nothing set; they name no real repository, so
 * a bootstrap deployed with them trusts nobody.
 */
export function bootstrapPropsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  environments: readonly Pick<EnvironmentConfig, 'name' | 'region' | 'api'>[] = ENVIRONMENTS,
): BootstrapStackProps {
  const [repositoryOwner, repositoryName] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const githubOwner = env.GITHUB_OWNER || repositoryOwner || 'example-org';
  const githubRepo = env.GITHUB_REPO || repositoryName || 'item-api';
  const namePrefix = BOOTSTRAP_DEFAULTS.namePrefix;
  return {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    // The roles serve the stacks main.ts deploys, so their names and regions come from the same config.
    environments: environments.map((e) => e.name),
    environmentRegions: [...new Set(environments.map((e) => e.region))],
    hostedZoneIds: [...new Set(environments.flatMap((e) => e.api?.customDomain?.hostedZoneId ?? []))],
    apiKeys: environments.some((e) => e.api?.access?.mode === 'api-key'),
    resourcePolicies: environments.some(
      (e) => e.api?.access !== undefined && needsResourcePolicy(e.api.access),
    ),
    githubOwner,
    githubRepo,
    stateBucketName: env.TF_STATE_BUCKET || defaultStateBucketName(namePrefix, githubOwner, githubRepo),
    namePrefix,
    existingOidcProviderArn: env.GITHUB_OIDC_PROVIDER_ARN || undefined,
    apiGatewayLogsRole: env.BOOTSTRAP_APIGATEWAY_LOGS_ROLE !== '0',
    remoteState: env.BOOTSTRAP_REMOTE_STATE === '1',
  };
}

/** `<prefix>-tfstate-<owner>-<repo>`, made a valid bucket name; owner and repo make it likely unique. */
export function defaultStateBucketName(namePrefix: string, owner: string, repo: string): string {
  return `${namePrefix}-tfstate-${owner}-${repo}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
}
