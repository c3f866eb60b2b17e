import { lookup } from 'node:dns/promises';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_REGION, type LocalDynamo, startLocalDynamo } from '#local/local-dynamodb';
import { node22Binary } from '#local/node22';
import { REPO_ROOT } from '../scripts/lib/paths';
import type { BenchResult, ColdResult, MemorySizeResult, VariantResult } from './lib/bench-result';
import { killChildren } from './lib/child';
import { type CpuSetting, coldKey, FULL_CPU, runColdRounds } from './lib/cold';
import { summarizeCold } from './lib/cold-summary';
import { costPerMillion } from './lib/cost';
import { type CpuModel, openCpuModel } from './lib/cpu-model';
import { BENCH_ID, BENCH_TABLE, benchEvent, MISSING_ID, seedBenchTable } from './lib/fixture';
import { cpuShare } from './lib/lambda-cpu-share';
import { lambdaEnv } from './lib/lambda-env';
import { describeMachine, gitRevision } from './lib/machine';
import { type BenchOptions, parseOptions, USAGE } from './lib/options';
import { formatReport } from './lib/report';
import { writeChart } from './lib/result-chart';
import { writeResults } from './lib/result-json';
import { evaluateTargets } from './lib/targets';
import { caTrustEnv, createBenchCertificate } from './lib/tls-certificate';
import { computeRatios } from './lib/variant-ratios';
import { buildVariants, stageVariant, VARIANTS, type VariantName } from './lib/variants';
import { type InProcessSetup, runMemory, runWarm } from './lib/warm';

/** The memory size the Lambda-model table and the targets use: the reference share. */
const REFERENCE_MB = 256;
/** The memory size Lambda reports to the function when the bench runs it at full CPU. */
const FULL_CPU_MEMORY_MB = 1769;

/**
 * npm run bench: the production bundle against an unprimed build, a typical build of the same
 * handler, aws-lite references and bare Node, side by side on Node 22 against one local dynalite
 * over TLS, at full CPU and under a model of Lambda's CPU. A script, never a test: timings are
 * read, not asserted. See bench/README.md.
 */
async function main(options: BenchOptions): Promise<void> {
  const node = node22Binary();
  const loadAtStart = loadavg()[0] ?? 0;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log('building variants...');
  const sizes = await buildVariants();

  const stage = mkdtempSync(path.join(tmpdir(), 'item-api-bench-'));
  let dynamo: LocalDynamo | undefined;
  let cpu: CpuModel | undefined;
  // One stop, however many ways the run ends at once (Ctrl-C reaches npm, tsx and the children
  // together): every caller waits for the same cleanup.
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      killChildren();
      const left = (await cpu?.groups?.removeAll()) ?? [];
      if (left.length > 0) log(`could not remove cgroups ${left.join(', ')}: remove them with rmdir`);
      await dynamo?.close();
      rmSync(stage, { recursive: true, force: true });
    })());
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    process.on(signal, () => {
      log(`\n${signal}: stopping children and removing cgroups...`);
      stop().finally(() => process.exit(code));
    });
  };
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  // Last resort if the process dies some other way: empty groups can go synchronously.
  process.once('exit', () => cpu?.groups?.removeAllSync());
  try {
    const certificate = createBenchCertificate(stage);
    const trust = caTrustEnv(options.caTrust, certificate, node, stage);
    dynamo = await startLocalDynamo({ tls: certificate });
    await seedBenchTable(dynamo.endpoint, new Agent({ ca: certificate.ca }));
    cpu = await openCpuModel(
      { enabled: options.cpuModel, periodMs: options.cpuPeriodMs, sizes: options.sizes },
      node,
    );
    if (cpu.unavailable) log(`Lambda CPU model off: ${cpu.unavailable}. Running every phase at full CPU.`);
    const settings: CpuSetting[] = [
      FULL_CPU,
      ...[...cpu.bySize].map(([mb, group]) => ({
        label: `${mb} MB`,
        memoryMb: mb,
        group,
        initAtShare: options.initAtShare,
      })),
    ];

    const home = path.join(stage, 'home');
    mkdirSync(home);
    const staged = new Map<VariantName, string>();
    for (const variant of VARIANTS) if (variant.entry) staged.set(variant.name, stageVariant(variant, stage));
    const coldChild = path.join(stage, 'cold-child.mjs');
    copyFileSync(path.join(__dirname, 'lib', 'cold-child.mjs'), coldChild);
    const stagedEntry = (name: VariantName) => {
      const entry = staged.get(name);
      if (!entry) throw new Error(`${name} has no staged bundle`);
      return entry;
    };
    const endpoint = await hostNamedEndpoint(dynamo.endpoint);
    const env = (name: VariantName, memoryMb = FULL_CPU_MEMORY_MB) =>
      lambdaEnv({
        tableName: BENCH_TABLE,
        endpoint,
        taskRoot: staged.has(name) ? path.dirname(stagedEntry(name)) : stage,
        home,
        memoryMb,
        caTrustEnv: trust,
      });

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
      childConfig: {
        event,
        missingEvent: benchEvent(MISSING_ID),
        tableName: BENCH_TABLE,
        id: BENCH_ID,
        endpoint,
        region: LOCAL_REGION,
      },
    };
    const variants: VariantResult[] = [];
    for (const variant of VARIANTS) {
      let warm: VariantResult['warm'];
      let memory: VariantResult['memory'];
      if (variant.entry && variant.rawClients.length > 0) {
        log(`warm: ${variant.name}, ${options.warm} requests per kind at full CPU...`);
        warm = await runWarm(variant, inProcess, options.warm);
        log(`memory: ${variant.name}, ${options.memory} requests...`);
        memory = await runMemory(variant, inProcess, options.memory);
      }
      const model: Record<string, ColdResult> = {};
      for (const setting of settings) {
        const samples = cold.get(coldKey(variant.name, setting));
        if (setting.memoryMb && samples?.length) model[setting.memoryMb] = summarizeCold(samples);
      }
      variants.push({
        name: variant.name,
        description: variant.description,
        nodeArgs: variant.nodeArgs,
        bundle: sizes.get(variant.name),
        cold: summarizeCold(cold.get(coldKey(variant.name, FULL_CPU)) ?? []),
        model,
        warm,
        memory,
      });
    }

    const itemApi = VARIANTS.find((v) => v.name === 'item-api');
    const itemApiResult = variants.find((v) => v.name === 'item-api');
    const memorySizes: MemorySizeResult[] = [];
    for (const [mb, group] of cpu.bySize) {
      if (!itemApi || !itemApiResult) break;
      log(
        `warm at ${mb} MB: item-api, ${options.shareWarm} requests per kind at ${cpuShare(mb).toFixed(3)} of a CPU...`,
      );
      const warm = await runWarm(itemApi, inProcess, options.shareWarm, group);
      const modelCold = itemApiResult.model[mb];
      memorySizes.push({
        memoryMb: mb,
        share: cpuShare(mb),
        cold: modelCold,
        warm,
        cost: costPerMillion({
          memoryMb: mb,
          billedMs: warm.handlerBilledMs,
          initMs: modelCold?.import?.median ?? 0,
        }),
      });
    }

    const referenceMb = cpu.bySize.has(REFERENCE_MB) ? REFERENCE_MB : (options.sizes[0] ?? REFERENCE_MB);
    const byName = new Map(variants.map((v) => [v.name, v]));
    const referenceSize = memorySizes.find((m) => m.memoryMb === referenceMb);
    const rssSamples = byName.get('item-api')?.memory?.samples ?? [];
    const halfWay = rssSamples.find((s) => s.requests === Math.round(options.memory / 2));
    const end = rssSamples.at(-1);
    const result: BenchResult = {
      schema: 2,
      date: new Date().toISOString(),
      machine: describeMachine(node),
      git: gitRevision(),
      load: { start: loadAtStart, end: loadavg()[0] ?? 0 },
      options: {
        runs: options.runs,
        warm: options.warm,
        shareWarm: options.shareWarm,
        memory: options.memory,
      },
      cpuModel: {
        enabled: !cpu.unavailable,
        reason: cpu.unavailable,
        hierarchy: cpu.hierarchy?.kind,
        periodMs: options.cpuPeriodMs,
        initAtShare: options.initAtShare,
        sizes: [...cpu.bySize.keys()],
        referenceMb,
      },
      tls: { caTrust: options.caTrust },
      variants,
      memorySizes,
      ratios: computeRatios(variants, referenceMb),
      targets: evaluateTargets({
        referenceMb,
        modelCold: (name) => byName.get(name)?.model[referenceMb],
        initSamplesAtFullCpu: (name) =>
          settings
            .filter((s) => !s.initAtShare)
            .flatMap((s) => cold.get(coldKey(name, s)) ?? [])
            .flatMap((s) => (s.importMs === undefined ? [] : [s.importMs])),
        firstRequestAtFullCpu: (name) => byName.get(name)?.cold.firstRequest,
        warmAtShare: referenceSize?.warm.raw.sdk
          ? { handler: referenceSize.warm.handler.median, sdk: referenceSize.warm.raw.sdk.median }
          : undefined,
        rss: halfWay && end ? { requests: end.requests, halfWay: halfWay.rss, end: end.rss } : undefined,
      }),
    };
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

/**
 * DynamoDB's endpoint is a host name: the first request resolves it and checks the certificate
 * against it, work an IP address would skip. `localhost` stands in where it resolves to the
 * address dynalite listens on.
 */
async function hostNamedEndpoint(endpoint: string): Promise<string> {
  const url = new URL(endpoint);
  const resolved = await lookup('localhost').catch(() => undefined);
  if (resolved?.address !== url.hostname) return endpoint;
  url.hostname = 'localhost';
  return url.origin;
}

/**
 * Priming must never log as a request and never fail silently: a cold start of a primed variant
 * writes exactly one request line (the invoke's) and no priming warning.
 */
function checkPrimingOutput(variant: VariantName, output: string): void {
  if (!variant.startsWith('item-api') && variant !== 'typical') return;
  const requestLines = output.split('\n').filter((line) => line.includes('"message":"request"')).length;
  if (output.includes('init priming skipped') || requestLines !== 1) {
    throw new Error(
      `${variant}: priming failed or logged as a request (${requestLines} request lines)\n${output}`,
    );
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
      console.error(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exitCode = 1;
    });
  }
}
