import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lambdaNodeBinary } from '#local/lambda-node';
import { LANE, LANES, NEXT_LANES, TOOLCHAIN_LANE } from '#shared/toolchain';
import { runWhenMain } from './lib/cli';
import { withNodeOnPath } from './lib/lane-install';
import { readFixtures, readStacks, runStep } from './lib/lane-steps';
import { REPO_ROOT } from './lib/paths';
import { comparisonProblems } from './lib/synth-diff';
import { type LaneBaseline, type LaneReport, verifyLane } from './lib/verify-lane';
import { formatLaneReport } from './lib/verify-next-report';

const WORK_DIR = path.join(REPO_ROOT, '.scratch', 'verify-next');

/**
 * `npm run verify:next`: the next toolchain lanes (shared/toolchain.ts), proven without switching
 * this checkout. For each, a copy of the project is switched as docs/upgrading.md switches a
 * checkout, on a scratch install of the lane's packages (cached in .scratch/lanes by a hash of
 * what is installed); it typechecks, synthesizes with the lane's CLI and runs the bundle's
 * integration tests on the lane's Node. Its stacks must keep every address of this lane's and
 * differ only where the move means them to. package.json and package-lock.json here are never
 * touched. Needs the npm registry on a cold cache.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const node = lambdaNodeBinary();
  const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const guarded = ['package.json', 'package-lock.json'].map((f) => [
    f,
    readFileSync(path.join(REPO_ROOT, f), 'utf8'),
  ]);
  mkdirSync(WORK_DIR, { recursive: true });

  log(
    `baseline: ${TOOLCHAIN_LANE} (${LANE.title}), every step on Node ${nodeVersion} from ${LANE.nodeBinary.name}`,
  );
  const env = withNodeOnPath(node, { ...process.env, CHECKPOINT_DISABLE: '1' });
  const outdir = path.join(WORK_DIR, TOOLCHAIN_LANE, 'cdktf.out');
  rmSync(outdir, { recursive: true, force: true });
  const logDir = path.join(WORK_DIR, TOOLCHAIN_LANE, 'logs');
  const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  runStep('build', node, [tsx, 'scripts/build.ts'], { cwd: REPO_ROOT, env, logDir });
  runStep('synth main.ts', node, [tsx, 'main.ts'], {
    cwd: REPO_ROOT,
    env: { ...env, CDKTF_OUTDIR: outdir },
    logDir,
  });
  const base: LaneBaseline = {
    node,
    nodeVersion,
    stacks: readStacks(outdir),
    fixtures: readFixtures(REPO_ROOT),
    bundleSha256: createHash('sha256')
      .update(readFileSync(path.join(REPO_ROOT, 'dist', 'handler', 'index.mjs')))
      .digest('hex'),
    workDir: WORK_DIR,
    log,
  };

  const reports: LaneReport[] = [];
  const failures: string[] = [];
  for (const name of NEXT_LANES) {
    const laneStarted = Date.now();
    log(`\n${name}: ${LANES[name].title}`);
    const previous = reports
      .filter((r) => 'node' in r.integration && r.integration.passed)
      .map((r) => ({ node: (r.integration as { node: string }).node, sha256: r.bundle.sha256 }))
      .at(-1);
    let report: LaneReport;
    try {
      report = verifyLane(name, base, previous);
    } catch (error) {
      // A lane that cannot be installed, typechecked or synthesized: say why, check the next one.
      failures.push(`${name}: ${(error as Error).message}`);
      log(`${name}: FAILED\n${(error as Error).message}`);
      continue;
    }
    reports.push(report);
    log(formatLaneReport(report, LANE));
    log(`${name}: ${((Date.now() - laneStarted) / 1000).toFixed(0)} s`);
  }

  for (const [file, text] of guarded) {
    if (readFileSync(path.join(REPO_ROOT, file as string), 'utf8') !== text)
      throw new Error(`${file} was changed`);
  }
  writeFileSync(path.join(WORK_DIR, 'report.json'), `${JSON.stringify(reports, null, 2)}\n`);
  const problems = [
    ...failures,
    ...reports.flatMap((r) => [
      ...r.problems.map((p) => `${r.lane}: ${p}`),
      ...[...r.stacks, ...r.fixtures].flatMap((c) => comparisonProblems(c).map((p) => `${r.lane}: ${p}`)),
    ]),
  ];
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (problems.length > 0)
    throw new Error(`verify:next found ${problems.length} problem(s):\n${problems.join('\n')}`);
  log(
    `\nverify:next passed for ${NEXT_LANES.join(', ')} in ${seconds} s; package.json and package-lock.json untouched.`,
  );
}

runWhenMain(module, main, 'verify:next');
