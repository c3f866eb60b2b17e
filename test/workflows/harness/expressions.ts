import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { githubTooling } from './github-tooling';
import { lexExpression, runnerExpression } from './tooling-corrections';

/**
 * `${{ }}` as the runner evaluates it, with GitHub's own evaluator (`@actions/expressions`): the
 * workflow parser has already turned each value into either a literal or one expression (text
 * around `${{ }}` becomes a `format()` call, and every `if:` without a status function is wrapped
 * as `success() && (...)`); this module evaluates those against the contexts of the moment.
 */

/**
 * What `success()`, `failure()` and `cancelled()` answer where an expression is evaluated: for a
 * step, whether an earlier step of the job failed; for a job, how the jobs it needs ended (a
 * skipped need makes `success()` false without making `failure()` true).
 */
export interface StatusOfRun {
  readonly success: boolean;
  readonly failure: boolean;
  readonly cancelled: boolean;
}

export interface ExpressionScope {
  /** `github`, `env`, `vars`, `steps`, `needs`, `inputs`…: plain JSON values. */
  readonly contexts: Readonly<Record<string, unknown>>;
  readonly status?: StatusOfRun;
}

type Data = ReturnType<InstanceType<ExpressionsModule['Evaluator']>['evaluate']>;
type ExpressionsModule = ReturnType<typeof githubTooling>['expressions'];

function statusFunctions(status: StatusOfRun | undefined) {
  const { data } = githubTooling().expressions;
  const fn = (name: string, value: () => boolean) => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value()),
  });
  const state = status ?? { success: true, failure: false, cancelled: false };
  return [
    fn('success', () => state.success),
    fn('failure', () => state.failure),
    fn('always', () => true),
    fn('cancelled', () => state.cancelled),
  ];
}

export function evaluateExpression(expression: string, scope: ExpressionScope): Data {
  const { Parser, Evaluator, data } = githubTooling().expressions;
  const functions = statusFunctions(scope.status);
  const tokens = lexExpression(expression) as ConstructorParameters<typeof Parser>[0];
  const tree = new Parser(tokens, Object.keys(scope.contexts), functions).parse();
  const context = JSON.parse(JSON.stringify(scope.contexts), data.reviver);
  // The evaluator looks functions up by lower-case name.
  return new Evaluator(tree, context, new Map(functions.map((f) => [f.name.toLowerCase(), f]))).evaluate();
}

function plain(value: Data): unknown {
  return JSON.parse(JSON.stringify(value, githubTooling().expressions.data.replacer));
}

/** A template token's value: literals as written, expressions evaluated, mappings and sequences deep. */
export function evaluateToken(token: TemplateToken, scope: ExpressionScope): unknown {
  const { parser } = githubTooling();
  if (parser.isBasicExpression(token)) return plain(evaluateExpression(runnerExpression(token), scope));
  if (parser.isString(token) || parser.isNumber(token) || parser.isBoolean(token)) return token.value;
  if (parser.isSequence(token)) return [...token].map((item) => evaluateToken(item, scope));
  if (parser.isMapping(token)) {
    return Object.fromEntries(
      [...token].map(({ key, value }) => [evaluateString(key, scope), evaluateToken(value, scope)]),
    );
  }
  if (token.isLiteral) return null;
  throw new Error(`the harness cannot evaluate a ${token.typeName()} token (line ${token.line})`);
}

/** A value as the runner passes it to a process or an action: coerced to a string. */
export function evaluateString(token: TemplateToken, scope: ExpressionScope): string {
  const { parser } = githubTooling();
  if (parser.isBasicExpression(token))
    return evaluateExpression(runnerExpression(token), scope).coerceString();
  if (parser.isString(token)) return token.value;
  if (parser.isNumber(token) || parser.isBoolean(token)) return String(token.value);
  if (token.isLiteral) return '';
  throw new Error(`expected a string at line ${token.line}, found a ${token.typeName()}`);
}

/** A mapping of strings (`env:`, `with:`, `outputs:`), each value coerced; undefined gives {}. */
export function evaluateStringMap(
  token: TemplateToken | undefined,
  scope: ExpressionScope,
): Record<string, string> {
  if (token === undefined) return {};
  const mapping = token.assertMapping('a mapping of strings');
  return Object.fromEntries(
    [...mapping].map(({ key, value }) => [evaluateString(key, scope), evaluateString(value, scope)]),
  );
}

/** An `if:` or `continue-on-error:` value: the expression's result, truthy as GitHub reads it. */
export function evaluateCondition(token: TemplateToken, scope: ExpressionScope): boolean {
  return truthy(evaluateToken(token, scope));
}

/** GitHub's falsy values: false, 0, '', null (and NaN); arrays and objects are truthy. */
const truthy = (value: unknown) =>
  value !== null && value !== false && value !== 0 && value !== '' && !Number.isNaN(value);
