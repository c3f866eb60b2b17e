import { mkdtempSync } from 'node:fs';
import { Agent } from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalDynamo } from '#local/local-dynamodb';
import { REPO_ROOT } from '../../scripts/lib/paths';
import { openCpuModel } from './cpu-model';
import { cpuSettings } from './cpu-settings';
import { BENCH_ID, BENCH_TABLE, benchEvent, seedBenchTable, warmChildConfig } from './fixture';
import { hostNamedEndpoint } from './host-named-endpoint';
import { measureLanes, prepareLanes } from './lanes';
import { formatLaneComparison, type LaneBenchResult, writeLaneResults } from './lanes-report';
import { describeMachine, gitRevision } from './machine';
import type { BenchOptions } from './options';
import { installShutdown, type RunResources } from './shutdown';
import { caTrustEnv, createBenchCertificate } from './tls-certificate';

/**
 * `npm run bench -- --lanes`: the toolchain lanes side by side instead of the variants. The
 * deployed handler, built for each lane's esbuild target, on each lane's Node: cold starts at full
 * CPU and at each memory size's share, and warm. Same dynalite over TLS, same Lambda-like
 * environment (naming each lane's runtime), same CPU model as the main run.
 */
export async function runLanes(options: BenchOptions): Promise<void> {
  const loadAtStart = loadavg()[0] ?? 0;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log('preparing lanes (the next lane installs into .scratch/lanes once)...');
  const lanes = await prepareLanes(log);
  const [current] = lanes;
  if (!current) throw new Error('no lanes');
  const stage = mkdtempSync(path.join(tmpdir(), 'item-api-bench-lanes-'));
  const held: RunResources = { stage };
  const stop = installShutdown(held, log);
  try {
    const certificate = createBenchCertificate(stage);
    const trust = caTrustEnv(options.caTrust, certificate, current.node, stage);
    const dynamo = await startLocalDynamo({ tls: certificate });
    held.dynamo = dynamo;
    await seedBenchTable(dynamo.endpoint, new Agent({ ca: certificate.ca }));
    const cpu = await openCpuModel(
      { enabled: options.cpuModel, periodMs: options.cpuPeriodMs, sizes: options.sizes },
      current.node,
    );
    held.cpu = cpu;
    if (cpu.unavailable) log(`Lambda CPU model off: ${cpu.unavailable}. Running every phase at full CPU.`);
    const settings = cpuSettings(cpu, options.initAtShare);
    const endpoint = await hostNamedEndpoint(dynamo.endpoint);
    const event = benchEvent(BENCH_ID);
    log(`cold: ${options.runs} rounds of ${lanes.length * settings.length} fresh processes...`);
    const results = await measureLanes(
      lanes,
      settings,
      {
        stage,
        coldChild: path.join(__dirname, 'cold-child.mjs'),
        endpoint,
        caTrustEnv: trust,
        eventJson: JSON.stringify(event),
        tableName: BENCH_TABLE,
        childConfig: warmChildConfig(endpoint),
      },
      options,
      log,
    );
    const result: LaneBenchResult = {
      schema: 1,
      date: new Date().toISOString(),
      machine: describeMachine(current.node),
      git: gitRevision(),
      load: { start: loadAtStart, end: loadavg()[0] ?? 0 },
      options: {
        runs: options.runs,
        warm: options.warm,
        shareWarm: options.shareWarm,
        cpuPeriodMs: options.cpuPeriodMs,
        cpuModel: cpu.unavailable
          ? 'off'
          : `init at full CPU, invokes at memory/1769 of a CPU, ${options.cpuPeriodMs} ms period`,
      },
      lanes: results,
    };
    console.log(formatLaneComparison(result));
    if (options.write) {
      const file = writeLaneResults(result, path.join(__dirname, '..', 'results'));
      log(`\nwrote ${path.relative(REPO_ROOT, file)}`);
    }
  } finally {
    await stop();
  }
}
