import { STACK_TAG } from '../terraform-settings';
import type { DataAwsIamPolicyDocumentStatement as Statement } from '../toolchain';
import { BOOTSTRAP_STATE_KEY, type PolicyContext } from './ci-resource-arns';
import { type Condition, type ServiceAccess, serviceAccess } from './ci-service-access';

/**
 * The CI roles' policy statements, from the service table: the plan role gets every row's reads
 * for every environment, each deploy role the reads and changes of its own environment.
 */

export { BOOTSTRAP_STATE_KEY } from './ci-resource-arns';

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

/** Plan: every row's reads, on its resources and the bootstrap's. Chosen over ReadOnlyAccess, which would let any branch read item data. */
export function planRoleStatements(context: PolicyContext): Statement[] {
  return serviceAccess(context).flatMap((row) => {
    const resources = [...row.resources, ...(row.alsoRead ?? [])];
    if (row.read === undefined || resources.length === 0) return [];
    return [allow(row.manage ? `${row.sid}Read` : row.sid, row.read, resources)];
  });
}

/**
 * Deploy: every row's reads and changes on the resources of `context.environments`, never the
 * bootstrap's own resources. Where a row reads exactly where it changes, one statement holds both,
 * which keeps the policy under IAM's 10,240 characters for a role's inline policies. A role of
 * one environment is also denied, on the rows that cannot be scoped by name, what another stack
 * tagged as its own.
 */
export function deployRoleStatements(context: PolicyContext): Statement[] {
  const rows = serviceAccess(context).filter((row) => row.resources.length > 0);
  const own = context.environments.length === 1 ? context.environments[0] : undefined;
  return [
    ...rows.flatMap((row): Statement[] => {
      if (row.manage === undefined) return row.read ? [allow(row.sid, row.read, row.resources)] : [];
      if (row.read !== undefined && row.manageCondition === undefined) {
        return [allow(row.sid, [...row.read, ...row.manage], row.resources)];
      }
      return [
        ...(row.read ? [allow(`${row.sid}Read`, row.read, row.resources)] : []),
        allow(`${row.sid}Manage`, row.manage, row.resources, row.manageCondition),
      ];
    }),
    ...(own === undefined ? [] : rows.flatMap((row) => otherStacksDenied(row, own))),
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

/**
 * Denies a row's tag-scoped actions on a resource tagged for another stack, and on a request that
 * would tag one for another stack. An untagged resource (a collection being created into) stays
 * reachable: IAM's negated operators hold when the key is missing, so `Null` guards each.
 */
function otherStacksDenied(row: ServiceAccess, environment: string): Statement[] {
  if (row.byStackTag === undefined) return [];
  return (['ResourceTag', 'RequestTag'] as const).map((kind) => {
    const key = `aws:${kind}/${STACK_TAG}`;
    return {
      sid: `${row.sid}${kind === 'ResourceTag' ? 'OfOtherStacks' : 'TaggedForOtherStacks'}`,
      effect: 'Deny',
      actions: [...(row.byStackTag ?? [])],
      resources: [...row.resources],
      condition: [
        { test: 'Null', variable: key, values: ['false'] },
        { test: 'StringNotEquals', variable: key, values: [environment] },
      ],
    };
  });
}
