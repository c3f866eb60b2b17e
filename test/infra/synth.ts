import { expect } from 'chai';
import { HANDLER_DIST_DIR } from '#handler/bundle';
import { ConfigValidationError } from '#shared/validation';
import type { BootstrapStackProps } from '../../infra/bootstrap/bootstrap-config';
import { BootstrapStack } from '../../infra/bootstrap/bootstrap-stack';
import { ENVIRONMENTS, type EnvironmentConfig, validateEnvironments } from '../../infra/config';
import { EnvironmentStack } from '../../infra/environment-stack';
import { GET_ITEM_FUNCTION_DEFAULTS } from '../../infra/get-item-function';
import { ITEMS_TABLE_DEFAULTS } from '../../infra/items-table';
import { REST_API_DEFAULTS } from '../../infra/rest-api';
import type { StateBackendConfig } from '../../infra/state-backend';
import { Testing } from '../../infra/toolchain';

/** A synthesized stack, as Terraform JSON. */
export interface Synth {
  readonly json: string;
  readonly config: SynthesizedConfig;
}

export interface SynthesizedConfig {
  readonly provider: Record<string, Record<string, unknown>[]>;
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: unknown }>;
  readonly terraform: Record<string, unknown>;
}

export function environment(name: string): EnvironmentConfig {
  const config = ENVIRONMENTS.find((e) => e.name === name);
  if (config === undefined) throw new Error(`no environment ${name}`);
  return config;
}

export function synthStack(
  config: EnvironmentConfig,
  stateBackend: StateBackendConfig = { kind: 'local', onPurpose: true },
): Synth {
  const stack = new EnvironmentStack(Testing.app(), config.name, {
    config,
    stateBackend,
    bundleDir: HANDLER_DIST_DIR,
  });
  const json = Testing.synth(stack);
  return { json, config: JSON.parse(json) as SynthesizedConfig };
}

/** All resources of a type, keyed by their logical id. */
export function resourcesOf(synth: Synth, type: string): Record<string, Record<string, unknown>> {
  return synth.config.resource[type] ?? {};
}

type Where = (body: Record<string, unknown>) => boolean;

/** The one resource of a type (matching `where`, if given), with its Terraform address. */
export function only(
  synth: Synth,
  type: string,
  where: Where = () => true,
): { address: string; body: Record<string, unknown> } {
  const entries = Object.entries(resourcesOf(synth, type)).filter(([, body]) => where(body));
  expect(entries, `exactly one matching ${type}`).to.have.lengthOf(1);
  const [name, body] = entries[0] as [string, Record<string, unknown>];
  return { address: `${type}.${name}`, body };
}

/** `${<address>.<attribute>}`, the way a reference appears in synthesized JSON. */
export function ref(synth: Synth, type: string, attribute: string, where?: Where): string {
  return `\${${only(synth, type, where).address}.${attribute}}`;
}

/** cdktf's matcher, asserted with chai and failing with what was found instead. */
export function expectResource(synth: Synth, type: string, properties: Record<string, unknown>): void {
  const found = Testing.toHaveResourceWithProperties(synth.json, type, properties);
  expect(
    found,
    `expected a ${type} with ${JSON.stringify(properties)}; found ${JSON.stringify(resourcesOf(synth, type), null, 2)}`,
  ).to.equal(true);
}

/**
 * Every variant of `properties` with one leaf value changed. A matcher that still matches one of
 * them is not checking that leaf, so the assertion would not catch a change to it.
 */
export function mutations(properties: unknown): unknown[] {
  if (Array.isArray(properties)) {
    return properties.flatMap((item, i) =>
      mutations(item).map((m) => properties.map((orig, j) => (i === j ? m : orig))),
    );
  }
  if (properties !== null && typeof properties === 'object') {
    const obj = properties as Record<string, unknown>;
    return Object.keys(obj).flatMap((key) => mutations(obj[key]).map((m) => ({ ...obj, [key]: m })));
  }
  if (typeof properties === 'string') return [`${properties}-changed`];
  if (typeof properties === 'number') return [properties + 1];
  if (typeof properties === 'boolean') return [!properties];
  return [];
}

/**
 * expectResource, and proof that it checks every leaf: the same assertion with any one value
 * changed must not match, so a property the matcher silently ignores fails the test.
 */
export function expectResourceExactly(synth: Synth, type: string, properties: Record<string, unknown>): void {
  expectResource(synth, type, properties);
  for (const mutated of mutations(properties)) {
    expect(
      Testing.toHaveResourceWithProperties(synth.json, type, mutated as Record<string, unknown>),
      `the assertion must notice a change: ${JSON.stringify(mutated)}`,
    ).to.equal(false);
  }
}

/** Matches the resource whose `name` starts with the prefix. */
export function named(prefix: string): Where {
  return (body) => typeof body.name === 'string' && body.name.startsWith(prefix);
}

/** The problems validation finds in one environment, as `path message` lines (none when valid). */
export function configProblems(config: EnvironmentConfig): string[] {
  try {
    validateEnvironments([config]);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return error.problems.map((p) => `${p.path} ${p.message}`);
  }
}

/** Asserts that validation reports a problem matching `problem` (whatever else it reports). */
export function expectProblem(config: EnvironmentConfig, problem: RegExp): void {
  const problems = configProblems(config);
  expect(
    problems.some((line) => problem.test(line)),
    `expected a problem matching ${problem}; got ${JSON.stringify(problems)}`,
  ).to.equal(true);
}

/** The settings an environment ends up with: its own, or the constructs' documented defaults. */
export function effective(config: EnvironmentConfig) {
  return {
    deletionProtection: config.table?.deletionProtection ?? ITEMS_TABLE_DEFAULTS.deletionProtection,
    memoryMb: config.fn?.memoryMb ?? GET_ITEM_FUNCTION_DEFAULTS.memoryMb,
    timeoutSeconds: config.fn?.timeoutSeconds ?? GET_ITEM_FUNCTION_DEFAULTS.timeoutSeconds,
    logRetentionDays: config.logRetentionDays ?? GET_ITEM_FUNCTION_DEFAULTS.logRetentionDays,
    stageName: config.api?.stageName ?? REST_API_DEFAULTS.stageName,
    throttling: config.api?.throttling ?? REST_API_DEFAULTS.throttling,
  };
}

/** The bootstrap stack, as Terraform JSON, with its policy documents typed for the role tests. */
export interface BootstrapSynth {
  readonly json: string;
  readonly config: SynthesizedConfig & {
    readonly data: {
      readonly aws_iam_policy_document: Record<string, { statement: PolicyStatementJson[] }>;
    };
  };
}

/** One statement of a synthesized `aws_iam_policy_document`. */
export interface PolicyStatementJson {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
}

export function synthBootstrap(props: BootstrapStackProps): BootstrapSynth {
  const json = Testing.synth(new BootstrapStack(Testing.app(), 'bootstrap', props));
  return { json, config: JSON.parse(json) as BootstrapSynth['config'] };
}
