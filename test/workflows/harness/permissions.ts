import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { githubTooling } from './github-tooling';

/**
 * What a job's GITHUB_TOKEN may do, resolved as GitHub does: the job's `permissions:`, else the
 * workflow's, else the repository default (here the restricted one GitHub gives new repositories:
 * contents and packages read). Naming some scopes sets every other one to `none`. A pull request
 * from a fork gets read at most, and no OIDC token (`id-token` read cannot fetch one). A called
 * workflow's job can only keep or lower what its caller job granted.
 */
export type Level = 'none' | 'read' | 'write';
export type Permissions = Readonly<Record<string, Level>>;

export const SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
] as const;

const all = (level: Level): Permissions => Object.fromEntries(SCOPES.map((scope) => [scope, level]));
const RANK: Record<Level, number> = { none: 0, read: 1, write: 2 };

export const REPOSITORY_DEFAULT: Permissions = { ...all('none'), contents: 'read', packages: 'read' };

/** A `permissions:` value from the parsed workflow, or undefined when the key is absent. */
export function permissionsFrom(token: TemplateToken | undefined): Permissions | undefined {
  if (token === undefined) return undefined;
  const { parser } = githubTooling();
  if (parser.isString(token)) {
    if (token.value === 'read-all') return all('read');
    if (token.value === 'write-all') return all('write');
    throw new Error(`unknown permissions value ${token.value}`);
  }
  const granted: Record<string, Level> = { ...all('none') };
  for (const { key, value } of token.assertMapping('permissions')) {
    granted[key.assertString('permission scope').value] = value.assertString('permission level')
      .value as Level;
  }
  return granted;
}

/** The permissions a job runs with; `caller` is the calling job's, for a job in a called workflow. */
export function resolvePermissions(options: {
  job: Permissions | undefined;
  workflow: Permissions | undefined;
  fromFork: boolean;
  caller?: Permissions;
}): Permissions {
  const requested = options.job ?? options.workflow ?? options.caller ?? REPOSITORY_DEFAULT;
  if (options.caller) {
    for (const scope of SCOPES) {
      const asked = requested[scope] ?? 'none';
      const allowed = options.caller[scope] ?? 'none';
      if (RANK[asked] > RANK[allowed]) {
        throw new Error(
          `The nested job is requesting '${scope}: ${asked}', but is only allowed '${scope}: ${allowed}'.`,
        );
      }
    }
  }
  if (!options.fromFork) return requested;
  return Object.fromEntries(
    SCOPES.map((scope) => {
      const level = requested[scope] ?? 'none';
      return [scope, scope === 'id-token' ? 'none' : level === 'write' ? 'read' : level];
    }),
  );
}

export const allows = (permissions: Permissions, scope: string, level: Level) =>
  RANK[permissions[scope] ?? 'none'] >= RANK[level];
