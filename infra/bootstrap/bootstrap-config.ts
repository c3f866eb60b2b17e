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
  parseBoolean,
} from '#shared/rules';
import { ConfigValidationError, type Problem, Validator } from '#shared/validation';
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
   * The environments that give consumers API keys (`api.access.mode: 'api-key'`): their deploy
   * roles manage usage plans and keys, and the plan role reads them. `bootstrapPropsFromEnv` takes
   * them from `infra/config.ts`.
   * @default []
   */
  readonly apiKeyEnvironments?: readonly string[];
  /**
   * The environments whose API has a resource policy (`api.access` with IAM callers or network
   * limits): their deploy roles may set it. `bootstrapPropsFromEnv` takes them from `infra/config.ts`.
   * @default []
   */
  readonly resourcePolicyEnvironments?: readonly string[];
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
   * GitHub Environments (and application stacks), each with a deploy role of its own
   * (`<namePrefix>-github-deploy-<name>`) that only the OIDC subject
   * `repo:<owner>/<repo>:environment:<name>` may assume.
   * @default ['dev', 'prod']
   */
  readonly environments?: readonly string[];
  /**
   * Keep the deploy role shared by every environment (`<namePrefix>-github-deploy`) next to the
   * per-environment ones, while GitHub Environments still point at it: the migration step that
   * keeps deploys working until each Environment's `AWS_DEPLOY_ROLE_ARN` names its own role.
   * @default false
   */
  readonly sharedDeployRole?: boolean;
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
  sharedDeployRole: false,
} as const;

/** The CI roles are `<prefix>-github-plan` and `<prefix>-github-deploy-<environment>`. */
export const CI_ROLE_SEGMENT = 'github';

/** IAM refuses role names longer than this. */
const ROLE_NAME_LIMIT = 64;

export const planRoleName = (namePrefix: string) => `${namePrefix}-${CI_ROLE_SEGMENT}-plan`;
export const deployRoleName = (namePrefix: string, environment: string) =>
  `${namePrefix}-${CI_ROLE_SEGMENT}-deploy-${environment}`;
/** The deploy role every environment shared before each got its own; kept only while migrating. */
export const sharedDeployRoleName = (namePrefix: string) => `${namePrefix}-${CI_ROLE_SEGMENT}-deploy`;

/**
 * Environment variables this project once read and no longer does, with what replaced them. GitHub
 * refuses configuration variables whose names start with `GITHUB_`, so the OIDC provider's ARN
 * could never be set where the pull-request plan reads it.
 */
export const RENAMED_VARIABLES: Readonly<Record<string, string>> = {
  GITHUB_OIDC_PROVIDER_ARN: 'BOOTSTRAP_OIDC_PROVIDER_ARN',
};

/** API Gateway's logging role is `<prefix>-apigateway-cloudwatch`. */
export const API_GATEWAY_ROLE_SEGMENT = 'apigateway';

/** Fills defaults and throws one ConfigValidationError listing every invalid setting. */
export function resolveBootstrapProps(props: BootstrapStackProps): ResolvedBootstrapProps {
  const resolved: ResolvedBootstrapProps = {
    region: props.region,
    environmentRegions: props.environmentRegions ?? [props.region],
    hostedZoneIds: props.hostedZoneIds ?? [],
    apiKeyEnvironments: props.apiKeyEnvironments ?? [],
    resourcePolicyEnvironments: props.resourcePolicyEnvironments ?? [],
    githubOwner: props.githubOwner,
    githubRepo: props.githubRepo,
    stateBucketName: props.stateBucketName,
    namePrefix: props.namePrefix ?? BOOTSTRAP_DEFAULTS.namePrefix,
    environments: props.environments ?? BOOTSTRAP_DEFAULTS.environments,
    apiGatewayLogsRole: props.apiGatewayLogsRole ?? BOOTSTRAP_DEFAULTS.apiGatewayLogsRole,
    remoteState: props.remoteState ?? BOOTSTRAP_DEFAULTS.remoteState,
    sharedDeployRole: props.sharedDeployRole ?? BOOTSTRAP_DEFAULTS.sharedDeployRole,
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
  for (const setting of ['apiKeyEnvironments', 'resourcePolicyEnvironments'] as const) {
    for (const [i, environment] of resolved[setting].entries()) {
      at.report(
        `${setting}[${i}]`,
        resolved.environments.includes(environment)
          ? undefined
          : `"${environment}" is not one of environments`,
      );
    }
  }
  resolved.environments.forEach((environment, i) => {
    at.check(`environments[${i}]`, environment, checkEnvironmentName);
    // The CI roles are named <prefix>-github-* and the logging role <prefix>-apigateway-*; an
    // environment of either name would let deploys edit them.
    const reserved = [CI_ROLE_SEGMENT, API_GATEWAY_ROLE_SEGMENT].includes(environment);
    at.report(
      `environments[${i}]`,
      reserved ? `"${environment}" is reserved for the CI and logging roles` : undefined,
    );
    const role = deployRoleName(resolved.namePrefix, environment);
    at.report(
      `environments[${i}]`,
      role.length > ROLE_NAME_LIMIT
        ? `makes the deploy role name ${role} longer than IAM's ${ROLE_NAME_LIMIT} characters`
        : undefined,
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
  const switches = Validator.for('');
  reportRenamedVariables(env, switches);
  const props: BootstrapStackProps = {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    // The roles serve the stacks main.ts deploys, so their names and regions come from the same config.
    environments: environments.map((e) => e.name),
    environmentRegions: [...new Set(environments.map((e) => e.region))],
    hostedZoneIds: [...new Set(environments.flatMap((e) => e.api?.customDomain?.hostedZoneId ?? []))],
    apiKeyEnvironments: environments.filter((e) => e.api?.access?.mode === 'api-key').map((e) => e.name),
    resourcePolicyEnvironments: environments
      .filter((e) => e.api?.access !== undefined && needsResourcePolicy(e.api.access))
      .map((e) => e.name),
    githubOwner,
    githubRepo,
    stateBucketName: env.TF_STATE_BUCKET || defaultStateBucketName(namePrefix, githubOwner, githubRepo),
    namePrefix,
    existingOidcProviderArn: env.BOOTSTRAP_OIDC_PROVIDER_ARN || undefined,
    apiGatewayLogsRole:
      switches.read('BOOTSTRAP_APIGATEWAY_LOGS_ROLE', parseBoolean(env.BOOTSTRAP_APIGATEWAY_LOGS_ROLE)) ??
      BOOTSTRAP_DEFAULTS.apiGatewayLogsRole,
    remoteState:
      switches.read('BOOTSTRAP_REMOTE_STATE', parseBoolean(env.BOOTSTRAP_REMOTE_STATE)) ??
      BOOTSTRAP_DEFAULTS.remoteState,
    sharedDeployRole:
      switches.read('BOOTSTRAP_SHARED_DEPLOY_ROLE', parseBoolean(env.BOOTSTRAP_SHARED_DEPLOY_ROLE)) ??
      BOOTSTRAP_DEFAULTS.sharedDeployRole,
  };
  for (const problem of bootstrapProblems(props)) {
    switches.report(whereToChange(problem.path, props, environments), problem.message);
  }
  switches.throwIfInvalid('bootstrap settings (environment variables)');
  return props;
}

/**
 * The variable to set for each setting `bootstrapPropsFromEnv` reads from the environment, so a
 * problem names what the user can change (GITHUB_OWNER, not bootstrap.githubOwner).
 */
const BOOTSTRAP_VARIABLES: Readonly<Record<string, string>> = {
  region: 'AWS_REGION',
  githubOwner: 'GITHUB_OWNER',
  githubRepo: 'GITHUB_REPO',
  stateBucketName: 'TF_STATE_BUCKET',
  existingOidcProviderArn: 'BOOTSTRAP_OIDC_PROVIDER_ARN',
};

function bootstrapProblems(props: BootstrapStackProps): readonly Problem[] {
  try {
    resolveBootstrapProps(props);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}

/** The variable, or the infra/config.ts setting, that a bootstrap setting's value came from. */
function whereToChange(
  path: string,
  props: BootstrapStackProps,
  environments: readonly Pick<EnvironmentConfig, 'name' | 'region' | 'api'>[],
): string {
  const [, setting = '', index = ''] = /^bootstrap\.(\w+)(?:\[(\d+)\])?$/.exec(path) ?? [];
  const variable = BOOTSTRAP_VARIABLES[setting];
  if (variable !== undefined) return variable;
  if (index === '') return path;
  const from = (
    list: readonly string[] | undefined,
    pick: (e: (typeof environments)[number]) => unknown,
    rest: string,
  ) => {
    const environment = environments.find((e) => pick(e) === list?.[Number(index)]);
    return environment === undefined ? path : `environments.${environment.name}.${rest}`;
  };
  if (setting === 'environments') return from(props.environments, (e) => e.name, 'name');
  if (setting === 'environmentRegions') return from(props.environmentRegions, (e) => e.region, 'region');
  if (setting === 'hostedZoneIds') {
    return from(
      props.hostedZoneIds,
      (e) => e.api?.customDomain?.hostedZoneId,
      'api.customDomain.hostedZoneId',
    );
  }
  return path;
}

/** A variable set under its old name would be ignored in silence; stop and say what to set instead. */
function reportRenamedVariables(env: NodeJS.ProcessEnv, at: Validator): void {
  for (const [old, replacement] of Object.entries(RENAMED_VARIABLES)) {
    at.report(
      old,
      env[old]
        ? `is no longer read: set ${replacement} instead (GitHub refuses variable names that start with GITHUB_)`
        : undefined,
    );
  }
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
