import type { ToolchainLane } from '#shared/toolchain';

/** A synthesized stack (cdk.tf.json) or a pinned fixture of one. */
export type StackJson = Record<string, unknown>;

type Blocks = Record<string, Record<string, unknown>>;

/** Every resource and data source address of a stack, sorted: what state is keyed by. */
export function addresses(stack: StackJson): string[] {
  const of = (blocks: unknown, prefix: string) =>
    Object.entries((blocks ?? {}) as Blocks).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => `${prefix}${type}.${name}`),
    );
  return [...of(stack.resource, ''), ...of(stack.data, 'data.')].sort();
}

/** The bundle's content hash changes with every build; the comparison is about the infrastructure. */
export function withoutBundleHash(stack: StackJson): StackJson {
  return JSON.parse(
    JSON.stringify(stack)
      .replace(/assets\/([^/"]+)\/[0-9A-F]{32}\//g, 'assets/$1/<bundle hash>/')
      .replace(/"source_code_hash":"[0-9A-F]{32}"/g, '"source_code_hash":"<bundle hash>"'),
  ) as StackJson;
}

/** Each differing leaf as `path: before -> after`, `(none)` where one side lacks it. */
export function leafDifferences(before: unknown, after: unknown, at = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .sort()
      .flatMap((key) => leafDifferences(before[key], after[key], at ? `${at}.${key}` : key));
  }
  const shown = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
  return [`${at}: ${shown(before)} -> ${shown(after)}`];
}

export interface ExpectedDifference {
  readonly pattern: RegExp;
  readonly why: string;
}

const quote = (text: string) => JSON.stringify(text).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The differences a move from one lane to another is meant to make to the synthesized stacks,
 * each with its reason. Anything else is a surprise that verify:next reports and fails on.
 */
export function expectedDifferences(from: ToolchainLane, to: ToolchainLane): ExpectedDifference[] {
  const rules: ExpectedDifference[] = [];
  const changed = (a: string, b: string) => a !== b;
  if (changed(from.lambdaRuntime, to.lambdaRuntime)) {
    rules.push({
      pattern: new RegExp(
        `^resource\\.aws_lambda_function\\.[^.]+\\.runtime: ${quote(from.lambdaRuntime)} -> ${quote(to.lambdaRuntime)}$`,
      ),
      why: `the function runs ${to.lambdaRuntime}`,
    });
  }
  if (changed(from.awsProvider, to.awsProvider)) {
    rules.push({
      pattern: new RegExp(
        `^terraform\\.required_providers\\.aws\\.version: ${quote(from.awsProvider)} -> ${quote(to.awsProvider)}$`,
      ),
      why: `the provider constraint is hashicorp/aws ${to.awsProvider}, the version the bindings are generated for`,
    });
  }
  if (from.awsProvider.split('.')[0] === '5' && to.awsProvider.split('.')[0] !== '5') {
    rules.push({
      pattern: /^resource\.aws_api_gateway_account\.[^.]+\.reset_on_delete: true -> \(none\)$/,
      why: 'hashicorp/aws 6 removed reset_on_delete and always resets the account setting on destroy',
    });
    rules.push({
      pattern: /^\/\/\.metadata\.overrides\.aws_api_gateway_account: \["reset_on_delete"\] -> \(none\)$/,
      why: "cdktf's record of the reset_on_delete override that aws 5 needs",
    });
  }
  if (changed(from.cdk.name, to.cdk.name)) {
    rules.push({
      pattern: /^terraform\.required_providers\.aws\.source: "aws" -> "hashicorp\/aws"$/,
      why: `${to.cdk.name} writes the provider's source in full; both name registry.terraform.io/hashicorp/aws`,
    });
  }
  if (changed(from.cdk.version, to.cdk.version)) {
    rules.push({
      pattern: new RegExp(
        `^//\\.metadata\\.version: ${quote(from.cdk.version)} -> ${quote(to.cdk.version)}$`,
      ),
      why: `the CDK that synthesized the stack (${to.cdk.name} ${to.cdk.version}) records its version`,
    });
  }
  return rules;
}

export interface StackComparison {
  readonly stack: string;
  /** Addresses the stack had before. */
  readonly addressCount: number;
  readonly addressesOnlyBefore: string[];
  readonly addressesOnlyAfter: string[];
  /** Every difference, with the reason when it is an expected one. */
  readonly differences: { readonly line: string; readonly why?: string }[];
}

export function compareStacks(
  stack: string,
  before: StackJson,
  after: StackJson,
  expected: readonly ExpectedDifference[],
): StackComparison {
  const a = addresses(before);
  const b = addresses(after);
  return {
    stack,
    addressCount: a.length,
    addressesOnlyBefore: a.filter((x) => !b.includes(x)),
    addressesOnlyAfter: b.filter((x) => !a.includes(x)),
    differences: leafDifferences(withoutBundleHash(before), withoutBundleHash(after)).map((line) => ({
      line,
      why: expected.find((rule) => rule.pattern.test(line))?.why,
    })),
  };
}

/** What is wrong with a comparison: a changed address or a difference no rule expects. */
export function comparisonProblems(comparison: StackComparison): string[] {
  const { stack } = comparison;
  return [
    ...comparison.addressesOnlyBefore.map((a) => `${stack}: ${a} is gone (state would drop or replace it)`),
    ...comparison.addressesOnlyAfter.map((a) => `${stack}: ${a} is new`),
    ...comparison.differences.filter((d) => d.why === undefined).map((d) => `${stack}: unexpected ${d.line}`),
  ];
}
