import type { GitHubApi } from './github-api';
import type { EnvironmentUse, WorkflowVariable } from './workflow-variables';

/**
 * What a repository's GitHub settings lack for the workflows to run safely: each Environment the
 * workflows deploy to, its deployment-branch rules and reviewers, and each variable where the job
 * that reads it can see it. Pure, over settings read through the REST API (`readSettings`).
 */

interface ApiEnvironment {
  readonly name: string;
  readonly protection_rules?: readonly { readonly type: string; readonly reviewers?: readonly unknown[] }[];
  readonly deployment_branch_policy: {
    readonly protected_branches: boolean;
    readonly custom_branch_policies: boolean;
  } | null;
}
interface ApiBranchPolicy {
  readonly name: string;
  readonly type?: 'branch' | 'tag';
}
interface ApiVariable {
  readonly name: string;
  readonly value: string;
}

export interface RepositorySettings {
  readonly environments: readonly (ApiEnvironment & {
    readonly branchPolicies: readonly ApiBranchPolicy[];
    readonly variables: Readonly<Record<string, string>>;
  })[];
  readonly variables: Readonly<Record<string, string>>;
  readonly organizationVariables: Readonly<Record<string, string>>;
}

export interface Finding {
  readonly level: 'missing' | 'warning' | 'ok';
  readonly message: string;
}

const asRecord = (variables: readonly ApiVariable[]) =>
  Object.fromEntries(variables.map((v) => [v.name, v.value]));

export async function readSettings(api: GitHubApi, repository: string): Promise<RepositorySettings> {
  const repo = `/repos/${repository}`;
  const environments = await api.getAll<ApiEnvironment>(`${repo}/environments`, 'environments');
  // Organization variables shared with the repository count too; a token that may not list them
  // (403) or a personal account's repository (404) simply has none.
  const organizationVariables = await api
    .getAll<ApiVariable>(`${repo}/actions/organization-variables`, 'variables')
    .catch(() => [] as ApiVariable[]);
  return {
    environments: await Promise.all(
      environments.map(async (environment) => {
        const name = encodeURIComponent(environment.name);
        return {
          ...environment,
          branchPolicies: environment.deployment_branch_policy?.custom_branch_policies
            ? await api.getAll<ApiBranchPolicy>(
                `${repo}/environments/${name}/deployment-branch-policies`,
                'branch_policies',
              )
            : [],
          variables: asRecord(
            await api.getAll<ApiVariable>(`${repo}/environments/${name}/variables`, 'variables'),
          ),
        };
      }),
    ),
    variables: asRecord(await api.getAll<ApiVariable>(`${repo}/actions/variables`, 'variables')),
    organizationVariables: asRecord(organizationVariables),
  };
}

export interface Expectations {
  readonly variables: readonly WorkflowVariable[];
  readonly environments: readonly EnvironmentUse[];
  /** Environments that must have required reviewers. */
  readonly reviewed: readonly string[];
  /** The branch deploys run from. */
  readonly mainBranch: string;
  /** `<prefix>-github-deploy-<env>`: the role each Environment's AWS_DEPLOY_ROLE_ARN must name. */
  readonly deployRoleName: (environment: string) => string;
}

const WILDCARD_ALL = new Set(['*', '**']);

function environmentFindings(
  settings: RepositorySettings,
  use: EnvironmentUse,
  expect: Expectations,
): Finding[] {
  const environment = settings.environments.find((e) => e.name === use.name);
  if (environment === undefined) {
    return [
      {
        level: 'missing',
        message: `environment ${use.name}: does not exist (Settings → Environments → New environment)`,
      },
    ];
  }
  const findings: Finding[] = [];
  const at = `environment ${use.name}`;
  const policy = environment.deployment_branch_policy;
  const tagsDeploy = use.callerConditions.some((condition) => /'release'/.test(condition));
  if (policy === null) {
    findings.push({
      level: 'missing',
      message: `${at}: any branch may deploy to it, so any pushed workflow naming it gets its role; set Deployment branches and tags to the branch ${expect.mainBranch}${tagsDeploy ? ' and your release tags' : ''}`,
    });
  } else if (policy.protected_branches) {
    findings.push(
      tagsDeploy
        ? {
            level: 'warning',
            message: `${at}: protected branches only, so release tags cannot deploy; select the branch ${expect.mainBranch} and your release tags instead`,
          }
        : { level: 'ok', message: `${at}: protected branches only` },
    );
  } else {
    const branches = environment.branchPolicies.filter((p) => p.type !== 'tag').map((p) => p.name);
    const tags = environment.branchPolicies.filter((p) => p.type === 'tag').map((p) => p.name);
    const open = [...branches, ...tags].filter((name) => WILDCARD_ALL.has(name));
    if (open.length > 0)
      findings.push({
        level: 'missing',
        message: `${at}: the rule ${open.join(', ')} lets every ref deploy`,
      });
    if (!branches.includes(expect.mainBranch)) {
      findings.push({
        level: 'missing',
        message: `${at}: the branch ${expect.mainBranch} may not deploy to it, so its deploys would be refused`,
      });
    }
    if (tagsDeploy && tags.length === 0) {
      findings.push({
        level: 'warning',
        message: `${at}: no tag may deploy, so a published release cannot promote it`,
      });
    }
    if (open.length === 0)
      findings.push({
        level: 'ok',
        message: `${at}: deploys from ${[...branches.map((b) => `branch ${b}`), ...tags.map((t) => `tag ${t}`)].join(', ')}`,
      });
  }
  const reviewers =
    environment.protection_rules?.find((r) => r.type === 'required_reviewers')?.reviewers ?? [];
  if (expect.reviewed.includes(use.name)) {
    findings.push(
      reviewers.length > 0
        ? { level: 'ok', message: `${at}: ${reviewers.length} required reviewer(s)` }
        : { level: 'missing', message: `${at}: no required reviewers` },
    );
  }
  return findings;
}

function variableFindings(settings: RepositorySettings, variable: WorkflowVariable): Finding[] {
  const shared = (name: string) => settings.variables[name] ?? settings.organizationVariables[name];
  const where = variable.reads.flatMap((read): (string | undefined)[] => [
    ...(read.environments ?? [undefined]),
  ]);
  return [...new Set(where)].flatMap((environment): Finding[] => {
    const own =
      environment === undefined
        ? undefined
        : settings.environments.find((e) => e.name === environment)?.variables[variable.name];
    const value = own ?? shared(variable.name);
    const scope =
      environment === undefined
        ? 'repository variable'
        : `variable of environment ${environment} (or of the repository)`;
    if (value !== undefined && value !== '')
      return [{ level: 'ok', message: `${scope} ${variable.name} is set` }];
    return [
      {
        level: variable.optional ? 'ok' : 'missing',
        message: `${scope} ${variable.name} is not set${variable.optional ? ' (optional)' : ''}`,
      },
    ];
  });
}

/** Each Environment's deploy role must be its own, not the shared one nor another Environment's. */
function deployRoleFindings(settings: RepositorySettings, expect: Expectations): Finding[] {
  return expect.environments.flatMap(({ name }): Finding[] => {
    const own = settings.environments.find((e) => e.name === name)?.variables.AWS_DEPLOY_ROLE_ARN;
    const value = own ?? settings.variables.AWS_DEPLOY_ROLE_ARN;
    if (value === undefined) return [];
    const role = value.split('/').pop();
    if (role === expect.deployRoleName(name)) return [];
    const why = own === undefined ? 'falls back to the repository variable' : 'is set in the environment';
    return [
      {
        level: 'missing',
        message: `environment ${name}: AWS_DEPLOY_ROLE_ARN ${why} and names the role ${role}, not ${expect.deployRoleName(name)} (the bootstrap's deploy_role_arn_${name} output)`,
      },
    ];
  });
}

export function judgeSettings(settings: RepositorySettings, expect: Expectations): Finding[] {
  return [
    ...expect.environments.flatMap((use) => environmentFindings(settings, use, expect)),
    ...expect.variables.flatMap((variable) => variableFindings(settings, variable)),
    ...deployRoleFindings(settings, expect),
  ];
}
