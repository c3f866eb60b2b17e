import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { killChildren } from './bench/child';
import { runColdRounds } from './bench/cold';
import { BENCH_ID, BENCH_TABLE, benchEvent, MISSING_ID, seedBenchTable } from './bench/fixture';
import { lambdaEnv } from './bench/lambda-env';
import { describeMachine, gitRevision } from './bench/machine';
import { type BenchOptions, parseOptions, USAGE } from './bench/options';
import {
  type BenchResult,
  computeRatios,
  formatReport,
  summarizeCold,
  type VariantResult,
  writeChart,
  writeResults,
} from './bench/report';
import { buildVariants, stageVariant, VARIANTS, type VariantName } from './bench/variants';
import { type InProcessSetup, runMemory, runWarm } from './bench/warm';
import { LOCAL_REGION, startLocalDynamo } from './lib/local-dynamodb';
import { node22Binary } from './lib/node22';
import { REPO_ROOT } from './lib/paths';

/**
 * npm run bench: the production bundle against a typical build of the same handler, an aws-lite
 * reference and bare Node, side by side on Node 22 against one local dynalite. A script, never a
 * test: timings are read, not asserted. See docs/bench.md.
 */
async function main(options: BenchOptions): Promise<void> {
  const node = node22Binary();
  const loadAtStart = loadavg()[0] ?? 0;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log('building variants...');
  const sizes = await buildVariants();

  const stage = mkdtempSync(path.join(tmpdir(), 'item-api-bench-'));
  const dynamo = await startLocalDynamo();
  const stop = async () => {
    killChildren();
    await dynamo.close();
    rmSync(stage, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    stop().finally(() => process.exit(130));
  });
  try {
    await seedBenchTable(dynamo.endpoint);
    const home = path.join(stage, 'home');
    mkdirSync(home);
    const staged = new Map<VariantName, string>();
    for (const variant of VARIANTS) if (variant.entry) staged.set(variant.name, stageVariant(variant, stage));
    const coldChild = path.join(stage, 'cold-child.mjs');
    copyFileSync(path.join(__dirname, 'bench', 'cold-child.mjs'), coldChild);
    const stagedEntry = (name: VariantName) => {
      const entry = staged.get(name);
      if (!entry) throw new Error(`${name} has no staged bundle`);
      return entry;
    };
    const env = (name: VariantName) =>
      lambdaEnv({
        tableName: BENCH_TABLE,
        endpoint: dynamo.endpoint,
        taskRoot: staged.has(name) ? path.dirname(stagedEntry(name)) : stage,
        home,
      });

    log(`cold: ${options.runs} rounds of ${VARIANTS.length} fresh processes (+1 discarded)...`);
    const event = benchEvent(BENCH_ID);
    const cold = await runColdRounds(
      VARIANTS,
      { node, coldChild, stagedEntry, env, eventJson: JSON.stringify(event) },
      options.runs,
      (round) => log(`  round ${round}/${options.runs}`),
    );

    const inProcess: InProcessSetup = {
      node,
      stagedEntry,
      env,
      childConfig: {
        event,
        missingEvent: benchEvent(MISSING_ID),
        tableName: BENCH_TABLE,
        id: BENCH_ID,
        endpoint: dynamo.endpoint,
        region: LOCAL_REGION,
      },
    };
    const variants: VariantResult[] = [];
    for (const variant of VARIANTS) {
      let warm: VariantResult['warm'];
      let memory: VariantResult['memory'];
      if (variant.entry) {
        log(`warm: ${variant.name}, ${options.warm} requests per kind...`);
        warm = await runWarm(variant, inProcess, options.warm);
        log(`memory: ${variant.name}, ${options.memory} requests...`);
        memory = await runMemory(variant, inProcess, options.memory);
      }
      variants.push({
        name: variant.name,
        description: variant.description,
        nodeArgs: variant.nodeArgs,
        bundle: sizes.get(variant.name),
        cold: summarizeCold(cold.get(variant.name) ?? []),
        warm,
        memory,
      });
    }

    const result: BenchResult = {
      schema: 1,
      date: new Date().toISOString(),
      machine: describeMachine(node),
      git: gitRevision(),
      load: { start: loadAtStart, end: loadavg()[0] ?? 0 },
      options: { runs: options.runs, warm: options.warm, memory: options.memory },
      variants,
      ratios: computeRatios(variants),
    };
    console.log(formatReport(result));
    if (options.write) {
      const files = [
        ...writeResults(result, path.join(REPO_ROOT, 'bench', 'results')),
        writeChart(result, path.join(REPO_ROOT, 'docs', 'bench-cold.svg')),
      ];
      log(`\nwrote ${files.map((f) => path.relative(REPO_ROOT, f)).join(', ')}`);
    } else {
      log('\n(--quick: nothing written; add --write to keep the results)');
    }
  } finally {
    await stop();
  }
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
} else {
  let options: BenchOptions | undefined;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  }
  if (options) {
    main(options).catch((error: unknown) => {
      killChildren();
      console.error(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exitCode = 1;
    });
  }
}
