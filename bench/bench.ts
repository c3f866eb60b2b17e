import { mkdtempSync } from 'node:fs';
import { Agent } from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { lambdaNodeBinary } from '#local/lambda-node';
import { startLocalDynamo } from '#local/local-dynamodb';
import { REPO_ROOT } from '../scripts/lib/paths';
import { assembleResult } from './lib/assemble-result';
import { runColdRounds } from './lib/cold';
import { openCpuModel } from './lib/cpu-model';
import { cpuSettings } from './lib/cpu-settings';
import { BENCH_ID, benchEvent, seedBenchTable, warmChildConfig } from './lib/fixture';
import { runLanes } from './lib/lanes-run';
import { measureMemorySizes } from './lib/memory-size-results';
import { type BenchOptions, parseOptions, USAGE } from './lib/options';
import { checkPrimingOutput } from './lib/priming-output';
import { formatReport } from './lib/report';
import { writeChart } from './lib/result-chart';
import { writeResults } from './lib/result-json';
import { installShutdown, type RunResources } from './lib/shutdown';
import { stageFunctions } from './lib/stage-functions';
import { caTrustEnv, createBenchCertificate } from './lib/tls-certificate';
import { measureVariants } from './lib/variant-results';
import { buildVariants, VARIANTS } from './lib/variants';
import type { InProcessSetup } from './lib/warm';

/**
 * npm run bench: the production bundle against an unprimed build, a typical build of the same
 * handler, aws-lite references and bare Node, side by side on Node 22 against one local dynalite
 * over TLS, at full CPU and under a model of Lambda's CPU. A script, never a test: timings are
 * read, not asserted. See bench/README.md.
 */
async function main(options: BenchOptions): Promise<void> {
  const node = lambdaNodeBinary();
  const loadAtStart = loadavg()[0] ?? 0;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log('building variants...');
  const sizes = await buildVariants();

  const stage = mkdtempSync(path.join(tmpdir(), 'item-api-bench-'));
  const held: RunResources = { stage };
  const stop = installShutdown(held, log);
  try {
    const certificate = createBenchCertificate(stage);
    const trust = caTrustEnv(options.caTrust, certificate, node, stage);
    const dynamo = await startLocalDynamo({ tls: certificate });
    held.dynamo = dynamo;
    await seedBenchTable(dynamo.endpoint, new Agent({ ca: certificate.ca }));
    const cpu = await openCpuModel(
      { enabled: options.cpuModel, periodMs: options.cpuPeriodMs, sizes: options.sizes },
      node,
    );
    held.cpu = cpu;
    if (cpu.unavailable) log(`Lambda CPU model off: ${cpu.unavailable}. Running every phase at full CPU.`);
    const settings = cpuSettings(cpu, options.initAtShare);
    const { coldChild, stagedEntry, endpoint, env } = await stageFunctions(stage, dynamo.endpoint, trust);

    const perRound = VARIANTS.reduce((n, v) => n + (v.entry ? settings.length : 1), 0);
    log(
      `cold: ${options.runs} rounds of ${perRound} fresh processes (${settings.map((s) => s.label).join(', ')})...`,
    );
    const event = benchEvent(BENCH_ID);
    const cold = await runColdRounds(
      VARIANTS,
      settings,
      {
        node,
        coldChild,
        stagedEntry,
        env: (name, setting) => env(name, setting.memoryMb),
        eventJson: JSON.stringify(event),
        checkOutput: checkPrimingOutput,
      },
      options.runs,
      (round) => log(`  round ${round}/${options.runs}`),
    );

    const inProcess: InProcessSetup = {
      node,
      stagedEntry,
      env,
      childConfig: warmChildConfig(endpoint),
    };
    const variants = await measureVariants({ inProcess, cold, settings, sizes, options }, log);
    const memorySizes = await measureMemorySizes(cpu, variants, inProcess, options.shareWarm, log);

    const result = assembleResult({ options, node, loadAtStart, cpu, settings, cold, variants, memorySizes });
    console.log(formatReport(result));
    if (options.write) {
      const files = [
        ...writeResults(result, path.join(__dirname, 'results')),
        writeChart(result, path.join(__dirname, 'results', 'cold-start.svg')),
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
    (options.lanes ? runLanes(options) : main(options)).catch((error: unknown) => {
      console.error(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exitCode = 1;
    });
  }
}
