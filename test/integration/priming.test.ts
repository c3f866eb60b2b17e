import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { lambdaNodeBinary } from '#local/lambda-node';
import {
  ensureItemsTable,
  type LocalDynamo,
  localClient,
  localFunctionEnv,
  startLocalDynamo,
} from '#local/local-dynamodb';
import { UNPRIMED_BUILD } from '../../bench/lib/variants';
import { buildHandler } from '../../scripts/build';
import { isolatedBundle } from '../support/bundle';
import { eventForId } from '../support/events';

const TABLE = 'items-priming';
const DRIVER = path.join(__dirname, '..', 'support', 'first-run-driver.mjs');

interface FirstRun {
  /** Functions that ran for the first time, in the bundle and in Node's own modules. */
  readonly init: { bundle: number; node: number };
  readonly firstRequest: { bundle: number; node: number };
  readonly logLines: string[];
  readonly response: { statusCode: number; body: string; headers: Record<string, string> };
}

/**
 * Counts first-time work without timing anything: V8's --log-function-events records the first
 * execution of every function, so the functions first run between the end of init and the end of
 * the first request are the code the first request had to run cold (and, on Lambda, at the
 * memory size's share of a CPU).
 */
async function firstRun(bundle: string, endpoint: string): Promise<FirstRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'item-api-first-run-'));
  try {
    const logfile = path.join(dir, 'v8.log');
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        lambdaNodeBinary(),
        [
          '--log-function-events',
          `--logfile=${logfile}`,
          '--no-logfile-per-isolate',
          DRIVER,
          bundle,
          JSON.stringify(eventForId('plain')),
        ],
        { env: { PATH: process.env.PATH ?? '', TABLE_NAME: TABLE, ...localFunctionEnv(endpoint) } },
      );
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
      });
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
    });
    const lines = stdout.trim().split('\n');
    return {
      ...countFirstRuns(readFileSync(logfile, 'utf8'), bundle),
      logLines: lines.slice(0, -1),
      response: JSON.parse(lines.at(-1) ?? ''),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A function's first run, as V8's log shows it: its `first-execution` event or its lazy
 * compilation to bytecode (`interpreter`), which V8 does when a function is first called, whichever
 * comes first. Node 22's V8 writes `first-execution` for every function; Node 24's only for some,
 * so the compile event fills the gaps. Each function counts once.
 */
const FIRST_RUN_EVENTS = new Set(['first-execution', 'interpreter']);

function countFirstRuns(log: string, bundle: string): Pick<FirstRun, 'init' | 'firstRequest'> {
  const bundleScripts = new Set<string>();
  const seen = new Set<string>();
  const counts = { init: { bundle: 0, node: 0 }, firstRequest: { bundle: 0, node: 0 } };
  let phase: keyof typeof counts | 'after' = 'init';
  for (const line of log.split('\n')) {
    const fields = line.split(',');
    if (fields[0] === 'script-details' && fields[2]?.endsWith(path.basename(bundle))) {
      bundleScripts.add(fields[1] ?? '');
    }
    if (fields[0] !== 'function' || !FIRST_RUN_EVENTS.has(fields[1] ?? '')) continue;
    const name = fields[7];
    if (name === 'itemApiInitDone') phase = 'firstRequest';
    else if (name === 'itemApiFirstRequestDone') phase = 'after';
    // Script id, start and end offsets name one function.
    const id = fields.slice(2, 5).join(',');
    if (phase === 'after' || name?.startsWith('itemApi') || seen.has(id)) continue;
    seen.add(id);
    counts[phase][bundleScripts.has(fields[2] ?? '') ? 'bundle' : 'node']++;
  }
  return counts;
}

describe("priming at init, in the built bundle on the lane's Node (integration)", function () {
  this.timeout(60_000);
  let dynamo: LocalDynamo;
  let shipped: ReturnType<typeof isolatedBundle>;
  let unprimedDir: string;
  let unprimedBundle: string;

  before(async () => {
    dynamo = await startLocalDynamo();
    const client = localClient(dynamo.endpoint);
    await ensureItemsTable(client, TABLE);
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { pk: { S: 'plain' }, sk: { S: 'plain' }, name: { S: 'plain item' }, count: { N: '3' } },
      }),
    );
    client.destroy();
    shipped = isolatedBundle();
    // The same source and build without the priming call: the control.
    unprimedDir = mkdtempSync(path.join(tmpdir(), 'item-api-unprimed-'));
    unprimedBundle = path.join(unprimedDir, 'index.mjs');
    await buildHandler({ ...UNPRIMED_BUILD, outfile: unprimedBundle });
  });

  after(async () => {
    await dynamo?.close();
    shipped?.cleanup();
    if (unprimedDir) rmSync(unprimedDir, { recursive: true, force: true });
  });

  it('serves the first request from code that already ran during init', async () => {
    const primed = await firstRun(shipped.bundle, dynamo.endpoint);
    const unprimed = await firstRun(unprimedBundle, dynamo.endpoint);

    expect(primed.response).to.deep.equal(unprimed.response);
    expect(primed.response.statusCode).to.equal(200);
    // The count sees cold code when there is some: without priming the first request runs
    // hundreds of the bundle's functions (client, signer, serde, handler) for the first time.
    expect(unprimed.firstRequest.bundle).to.be.above(200);
    expect(primed.firstRequest.bundle).to.be.below(unprimed.firstRequest.bundle / 20);
    // And Node's HTTP client, parser and streams ran at init too.
    expect(primed.firstRequest.node).to.be.below(unprimed.firstRequest.node / 5);
    // That work moved into init rather than disappearing.
    expect(primed.init.bundle - unprimed.init.bundle).to.be.above(unprimed.firstRequest.bundle / 2);
  });

  it('writes no log line of its own: the only line is the first request’s', async () => {
    const { logLines } = await firstRun(shipped.bundle, dynamo.endpoint);
    expect(logLines).to.have.length(1);
    expect(JSON.parse(logLines[0] ?? '')).to.include({ message: 'request', status: 200 });
  });
});
