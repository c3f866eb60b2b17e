/**
 * Enough of IAM's evaluation logic to judge identity policies against recorded requests: an explicit
 * Deny wins, otherwise any matching Allow allows, otherwise the request is implicitly denied.
 * Actions match case-insensitively and resources case-sensitively, both with `*` and `?`. As in
 * IAM, a key the request does not carry fails a positive operator, passes a negated one
 * (`StringNotEquals`), and is what `Null` tests for.
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
const OPERATORS: Record<string, (expected: readonly string[], actual: string | undefined) => boolean> = {
  StringEquals: (expected, actual) => actual !== undefined && expected.includes(actual),
  StringNotEquals: (expected, actual) => actual === undefined || !expected.includes(actual),
  StringLike: (expected, actual) => actual !== undefined && matchesAny(expected, actual),
  ArnEquals: (expected, actual) => actual !== undefined && expected.includes(actual),
  ArnLike: (expected, actual) => actual !== undefined && matchesAny(expected, actual),
  Bool: (expected, actual) => actual !== undefined && expected.includes(actual),
  Null: (expected, actual) => expected.includes(String(actual === undefined)),
};

function conditionsHold(statement: PolicyStatement, context: Readonly<Record<string, string>>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, tests]) =>
    Object.entries(tests).every(
      ([key, expected]) => OPERATORS[operator]?.(list(expected), context[key]) ?? false,
    ),
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

/** A statement as the Terraform `aws_iam_policy_document` data source takes it (and cdktf renders it). */
export interface TerraformStatement {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions?: readonly string[];
  readonly resources?: readonly string[];
  readonly condition?: unknown;
}

/** The document the data source renders, in IAM's own keys; conditions of one operator are merged. */
export function documentOf(statements: readonly TerraformStatement[]): PolicyDocument {
  return {
    Statement: statements.map((s) => {
      const conditions = (Array.isArray(s.condition) ? s.condition : []) as {
        test: string;
        variable: string;
        values: string[];
      }[];
      const condition: Record<string, Record<string, string[]>> = {};
      for (const c of conditions) condition[c.test] = { ...condition[c.test], [c.variable]: c.values };
      return {
        ...(s.sid && { Sid: s.sid }),
        Effect: (s.effect ?? 'Allow') as 'Allow' | 'Deny',
        Action: [...(s.actions ?? [])],
        Resource: [...(s.resources ?? [])],
        ...(conditions.length > 0 && { Condition: condition }),
      };
    }),
  };
}
