import { ENVIRONMENTS, type EnvironmentConfig } from './config';

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

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
// GitHub owner names: alphanumerics and single hyphens, at most 39 characters.
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;
// S3 general purpose bucket rules, minus dots: dotted names break virtual-hosted TLS certificates.
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const NAME_PREFIX = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const ENVIRONMENT = /^[a-z][a-z0-9-]{0,15}$/;
const OIDC_PROVIDER_ARN =
  /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** Fills defaults and throws one error listing every invalid field. */
export function resolveBootstrapProps(props: BootstrapStackProps): ResolvedBootstrapProps {
  const resolved: ResolvedBootstrapProps = {
    region: props.region,
    environmentRegions: props.environmentRegions ?? [props.region],
    hostedZoneIds: props.hostedZoneIds ?? [],
    githubOwner: props.githubOwner,
    githubRepo: props.githubRepo,
    stateBucketName: props.stateBucketName,
    namePrefix: props.namePrefix ?? BOOTSTRAP_DEFAULTS.namePrefix,
    environments: props.environments ?? BOOTSTRAP_DEFAULTS.environments,
    apiGatewayLogsRole: props.apiGatewayLogsRole ?? BOOTSTRAP_DEFAULTS.apiGatewayLogsRole,
    remoteState: props.remoteState ?? BOOTSTRAP_DEFAULTS.remoteState,
    existingOidcProviderArn: props.existingOidcProviderArn,
  };

  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  check(REGION.test(resolved.region), `region "${resolved.region}" is not an AWS region name`);
  check(resolved.environmentRegions.length > 0, 'environmentRegions must name at least one region');
  for (const zone of resolved.hostedZoneIds) {
    check(/^[A-Z0-9]{1,32}$/.test(zone), `hostedZoneIds: "${zone}" is not a Route 53 hosted zone id`);
  }
  for (const region of resolved.environmentRegions) {
    check(REGION.test(region), `environmentRegions: "${region}" is not an AWS region name`);
  }
  check(
    GITHUB_OWNER.test(resolved.githubOwner),
    `githubOwner "${resolved.githubOwner}" is not a GitHub owner`,
  );
  check(
    GITHUB_REPO.test(resolved.githubRepo) && !/^\.+$/.test(resolved.githubRepo),
    `githubRepo "${resolved.githubRepo}" is not a GitHub repository name`,
  );
  check(
    BUCKET.test(resolved.stateBucketName) && !resolved.stateBucketName.includes('--'),
    `stateBucketName "${resolved.stateBucketName}" must be 3-63 lowercase letters, digits and single hyphens`,
  );
  check(
    NAME_PREFIX.test(resolved.namePrefix),
    `namePrefix "${resolved.namePrefix}" must be 2-32 lowercase letters, digits and hyphens`,
  );
  check(resolved.environments.length > 0, 'environments must name at least one environment');
  for (const environment of resolved.environments) {
    check(ENVIRONMENT.test(environment), `environment "${environment}" must be a short lowercase name`);
    // The CI roles are named <prefix>-github-* and the logging role <prefix>-apigateway-*; an
    // environment of either name would let deploys edit them.
    check(environment !== CI_ROLE_SEGMENT, `environment "${environment}" is reserved for the CI roles`);
    check(
      environment !== API_GATEWAY_ROLE_SEGMENT,
      `environment "${environment}" is reserved for API Gateway's logging role`,
    );
  }
  check(new Set(resolved.environments).size === resolved.environments.length, 'environments must not repeat');
  if (resolved.existingOidcProviderArn !== undefined) {
    check(
      OIDC_PROVIDER_ARN.test(resolved.existingOidcProviderArn),
      `existingOidcProviderArn "${resolved.existingOidcProviderArn}" is not the ARN of the GitHub OIDC provider`,
    );
  }

  if (problems.length > 0) throw new Error(`Invalid bootstrap configuration:\n- ${problems.join('\n- ')}`);
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
  environments: readonly Pick<EnvironmentConfig, 'name' | 'region' | 'customDomain'>[] = ENVIRONMENTS,
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
    hostedZoneIds: [...new Set(environments.flatMap((e) => e.customDomain?.hostedZoneId ?? []))],
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
