import type { DataAwsIamPolicyDocumentStatement as Statement } from '../toolchain';
import type { PolicyContext } from './ci-resource-arns';
import { type Condition, type ServiceAccess, serviceAccess } from './ci-service-access';

/**
 * The CI roles' policy statements, from the service table: the plan role gets every row's reads,
 * the deploy role the same reads plus every change.
 */

/** The key the bootstrap stack's own state uses once migrated; the deploy role must not write it. */
export const BOOTSTRAP_STATE_KEY = 'bootstrap/terraform.tfstate';

const allow = (
  sid: string,
  actions: readonly string[],
  resources: readonly string[],
  condition?: Condition,
): Statement => ({
  sid,
  effect: 'Allow',
  actions: [...actions],
  resources: [...resources],
  ...(condition && { condition }),
});

/** What a row lets a plan read: its reads, on its resources and what it also reads. */
function readStatement(row: ServiceAccess): Statement[] {
  if (row.read === undefined) return [];
  return [
    allow(row.manage ? `${row.sid}Read` : row.sid, row.read, [...row.resources, ...(row.alsoRead ?? [])]),
  ];
}

/** Plan: every row's reads. Chosen over ReadOnlyAccess, which would let any branch read item data. */
export function planRoleStatements(context: PolicyContext): Statement[] {
  return serviceAccess(context).flatMap(readStatement);
}

/**
 * Deploy: every row's reads and changes, and never the bootstrap's own state. Where a row reads
 * exactly where it changes, one statement holds both, which keeps the policy under IAM's 10,240
 * characters for a role's inline policies.
 */
export function deployRoleStatements(context: PolicyContext): Statement[] {
  const rows = serviceAccess(context).flatMap((row): Statement[] => {
    if (row.manage === undefined) return readStatement(row);
    if (row.read !== undefined && row.alsoRead === undefined) {
      return [allow(row.sid, [...row.read, ...row.manage], row.resources)];
    }
    return [...readStatement(row), allow(`${row.sid}Manage`, row.manage, row.resources, row.manageCondition)];
  });
  return [
    ...rows,
    {
      // The bootstrap state describes the CI roles themselves; only an administrator changes it.
      sid: 'ProtectBootstrapState',
      effect: 'Deny',
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [
        `${context.stateBucketArn}/${BOOTSTRAP_STATE_KEY}`,
        `${context.stateBucketArn}/${BOOTSTRAP_STATE_KEY}.tflock`,
      ],
    },
  ];
}
