import { type AuthorizationRequest, type Decision, evaluate, type PolicyDocument } from './iam-evaluator';
import { type Account, authorizationsFor, type RecordedCall, readRecordedCalls } from './recorded-calls';

/**
 * The recorded calls of a role, judged against policies as IAM would: a call goes through only
 * when every authorization it needs is allowed.
 */

export interface JudgedCall {
  readonly call: RecordedCall;
  readonly authorizations: readonly AuthorizationRequest[];
}

export function judgedCalls(files: readonly string[], account: Account): JudgedCall[] {
  return files
    .flatMap((file) => readRecordedCalls(file))
    .map((call) => ({ call, authorizations: authorizationsFor(call, account) }))
    .filter((judged) => judged.authorizations.length > 0);
}

/** Each authorization a policy does not allow, as `<decision>: <action> on <resource>`. */
export function refused(
  documents: readonly PolicyDocument[],
  authorizations: readonly AuthorizationRequest[],
): string[] {
  return authorizations
    .map((a) => ({ ...a, decision: evaluate(documents, a) as Decision }))
    .filter((a) => a.decision !== 'allowed')
    .map((a) => `${a.decision}: ${a.action} on ${a.resource}`);
}

/** The IAM actions that change something (never a describe, get or list). */
export const WRITE_ACTION =
  /:(Create|Put|Delete|Update|Tag|Untag|Add|Remove|Attach|Detach|Pass|Publish|Set|Associate|Disassociate|Change|Subscribe|Unsubscribe)|^apigateway:(POST|PUT|PATCH|DELETE)$/;

/**
 * Whether an authorization concerns `environment`: a resource named `<prefix>-<env>` or
 * `<prefix>-<env>-…`, the stack's state object or lock, or an API Gateway resource the stack
 * tagged (or a request tagging one for it).
 */
export function concerns(
  authorization: AuthorizationRequest,
  environment: string,
  namePrefix = 'item-api',
): boolean {
  const named = new RegExp(`[:/*]${namePrefix}-${environment}(-|$|:)`).test(authorization.resource);
  const state =
    authorization.resource.endsWith(`/item-api/${environment}.tfstate`) ||
    authorization.resource.endsWith(`/item-api/${environment}.tfstate.tflock`);
  const tagged = Object.entries(authorization.context ?? {}).some(
    ([key, value]) => /^aws:(Resource|Request)Tag\/stack$/.test(key) && value === environment,
  );
  return named || state || tagged;
}

/** A call that changes something of `environment`: one of its authorizations writes there. */
export function changes(judged: JudgedCall, environment: string): boolean {
  return judged.authorizations.some((a) => WRITE_ACTION.test(a.action) && concerns(a, environment));
}

/**
 * What IAM cannot keep apart by environment, as documented in docs/ci-cd.md: SNS subscription
 * actions have no resource-level permissions.
 */
export const SHARED_ACROSS_ENVIRONMENTS: readonly { action: RegExp; why: string }[] = [
  {
    action: /^sns:(SetSubscriptionAttributes|Unsubscribe|GetSubscriptionAttributes)$/,
    why: 'SNS subscription actions have no resource-level permissions',
  },
];

export const isSharedAcrossEnvironments = (judged: JudgedCall) =>
  judged.authorizations.every((a) =>
    SHARED_ACROSS_ENVIRONMENTS.some((shared) => shared.action.test(a.action)),
  );

export function describeCall({ call }: JudgedCall): string {
  return `${call.service} ${call.operation} ${call.method} ${call.path}`;
}
