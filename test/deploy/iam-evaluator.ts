/**
 * Enough of IAM's evaluation logic to judge identity policies against recorded requests: an explicit
 * Deny wins, otherwise any matching Allow allows, otherwise the request is implicitly denied.
 * Actions match case-insensitively and resources case-sensitively, both with `*` and `?`. A
 * condition holds only when the request carries every key it tests, as in IAM.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

/** One authorization IAM makes: an action on a resource, with the condition keys the request sets. */
export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision = 'allowed' | 'implicitly denied' | 'explicitly denied';

const list = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as readonly T[]) : [value as T];

function wildcard(pattern: string, flags = ''): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${body}$`, flags);
}

const matchesAny = (patterns: readonly string[], value: string, flags = '') =>
  patterns.some((pattern) => wildcard(pattern, flags).test(value));

/** The condition operators the project's policies use; an unknown one never holds. */
const OPERATORS: Record<string, (expected: readonly string[], actual: string) => boolean> = {
  StringEquals: (expected, actual) => expected.includes(actual),
  StringLike: (expected, actual) => matchesAny(expected, actual),
  ArnEquals: (expected, actual) => expected.includes(actual),
  ArnLike: (expected, actual) => matchesAny(expected, actual),
  Bool: (expected, actual) => expected.includes(actual),
};

function conditionsHold(statement: PolicyStatement, context: Readonly<Record<string, string>>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, tests]) =>
    Object.entries(tests).every(([key, expected]) => {
      const actual = context[key];
      return actual !== undefined && (OPERATORS[operator]?.(list(expected), actual) ?? false);
    }),
  );
}

function applies(statement: PolicyStatement, request: AuthorizationRequest): boolean {
  const actionMatches =
    statement.NotAction !== undefined
      ? !matchesAny(list(statement.NotAction), request.action, 'i')
      : matchesAny(list(statement.Action), request.action, 'i');
  const resourceMatches =
    statement.NotResource !== undefined
      ? !matchesAny(list(statement.NotResource), request.resource)
      : matchesAny(list(statement.Resource), request.resource);
  return actionMatches && resourceMatches && conditionsHold(statement, request.context ?? {});
}

export function evaluate(documents: readonly PolicyDocument[], request: AuthorizationRequest): Decision {
  const statements = documents.flatMap((document) => list(document.Statement));
  const matching = statements.filter((statement) => applies(statement, request));
  if (matching.some((statement) => statement.Effect === 'Deny')) return 'explicitly denied';
  return matching.some((statement) => statement.Effect === 'Allow') ? 'allowed' : 'implicitly denied';
}

/**
 * The documents without every Allow pattern that grants `action` (`lambda:GetFunction` also drops
 * `lambda:Get*`): a trimmed policy, to show a check fails when the policy lacks what a call needs.
 */
export function withoutGrantsFor(documents: readonly PolicyDocument[], action: string): PolicyDocument[] {
  return documents.map((document) => ({
    Statement: list(document.Statement).map((statement) =>
      statement.Effect === 'Allow' && statement.Action !== undefined
        ? {
            ...statement,
            Action: list(statement.Action).filter((pattern) => !wildcard(pattern, 'i').test(action)),
          }
        : statement,
    ),
  }));
}
