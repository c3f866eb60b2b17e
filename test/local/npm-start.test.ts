import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { lambdaEnvironmentBytes } from '#shared/rules';
import { parseStartArgs, responseOptionsFromEnv } from '../../scripts/start';
import {
  descendants,
  freePort,
  isAlive,
  portIsFree,
  type Spawned,
  spawnCollecting,
  waitForOutput,
} from '../support/processes';
import { REPO_ROOT } from '../support/repo-root';

/** `npm start` as a user runs it, on free ports; returns once it says it is running. */
async function npmStart(args: string[], env: Record<string, string> = {}) {
  const ports = { api: await freePort(), dynamo: await freePort() };
  const spawned = spawnCollecting('npm', ['start', ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(ports.api), DYNAMODB_PORT: String(ports.dynamo), ...env },
  });
  return { spawned, ports };
}

/** Signals only the PID `npm start` returned (not its process group) and checks that nothing it started survives. */
async function signalAndCheck(
  spawned: Spawned,
  ports: { api: number; dynamo: number },
  signal: NodeJS.Signals,
  tree: readonly number[],
) {
  const pid = spawned.child.pid as number;
  expect(tree.length, 'npm, tsx, the stack and the function process').to.be.at.least(3);
  process.kill(pid, signal);
  const exit = await Promise.race([
    spawned.exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`npm start did not exit within 10 s of ${signal}`)), 10_000),
    ),
  ]);
  // Children may take a moment to be reaped after npm itself has exited.
  for (let i = 0; i < 40 && tree.some(isAlive); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(tree.filter(isAlive), `still running after ${signal}:\n${spawned.output()}`).to.deep.equal([]);
  expect(await portIsFree(ports.api), 'API port freed').to.equal(true);
  expect(await portIsFree(ports.dynamo), 'DynamoDB port freed').to.equal(true);
  expect(spawned.output()).to.include(`${signal}: stopping`);
  return exit;
}

/**
 * Whatever a failed test left running, and only that: the processes seen under this `npm start`,
 * each checked to still be one of ours (its command line names this repository or npm start).
 */
function killLeftovers(pids: readonly number[]): void {
  for (const pid of pids) {
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // gone
    }
    if (!isAlive(pid) || !(command.includes(REPO_ROOT) || command.includes('start'))) continue;
    process.kill(pid, 'SIGKILL');
  }
}

describe('npm start as a real process: signals, data folder, arguments', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'item-api-start-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stops every process it started and frees both ports on SIGTERM to its PID; a second npm start on the same data folder says in one line that it is in use', async () => {
    const dataDir = path.join(dir, 'term');
    const { spawned, ports } = await npmStart([], { DATA_DIR: dataDir });
    let tree: number[] = [];
    try {
      await waitForOutput(spawned, /item-api is running/, 30_000);
      tree = [spawned.child.pid as number, ...descendants(spawned.child.pid as number)];
      expect((await fetch(`http://127.0.0.1:${ports.api}/hello`)).status).to.equal(200);

      const second = await npmStart([`--data-dir=${dataDir}`]);
      const { code } = await second.spawned.exited;
      const ours = second.spawned
        .output()
        .split('\n')
        .filter((line) => line.startsWith('npm start failed'));
      expect(code).to.not.equal(0);
      expect(ours).to.deep.equal([
        `npm start failed: the data folder ${dataDir} is in use by another process (another npm start?); stop it or use another folder`,
      ]);
      expect(second.spawned.output()).to.not.match(/^\s+at /m);

      const exit = await signalAndCheck(spawned, ports, 'SIGTERM', tree.slice(1));
      expect(exit.code).to.equal(0);
    } finally {
      killLeftovers(tree);
    }
  });

  it('does the same on SIGINT, keeps the data in the folder --data-dir names, and passes CORS_ALLOW_ORIGIN and CACHE_CONTROL on', async () => {
    const dataDir = path.join(dir, 'int');
    const origin = 'https://app.example.com';
    const { spawned, ports } = await npmStart(['--data-dir', dataDir], {
      CORS_ALLOW_ORIGIN: origin,
      CACHE_CONTROL: 'max-age=5',
    });
    let tree: number[] = [];
    try {
      await waitForOutput(spawned, /item-api is running/, 30_000);
      tree = [spawned.child.pid as number, ...descendants(spawned.child.pid as number)];
      expect(spawned.output()).to.include(`table "items" in ${dataDir}`);
      expect(readdirSync(dataDir)).to.include('LOCK');
      const url = `http://127.0.0.1:${ports.api}/hello`;
      const preflight = await fetch(url, { method: 'OPTIONS', headers: { Origin: origin } });
      expect(preflight.status).to.equal(204);
      expect(preflight.headers.get('access-control-allow-origin')).to.equal(origin);
      const item = await fetch(url, { headers: { Origin: origin } });
      expect(item.headers.get('access-control-allow-origin')).to.equal(origin);
      expect(item.headers.get('cache-control')).to.equal('max-age=5');
      await signalAndCheck(spawned, ports, 'SIGINT', tree.slice(1));
    } finally {
      killLeftovers(tree);
    }
  });
});

describe('npm start refuses a setting the function or Lambda would refuse, before anything starts', function () {
  this.timeout(60_000);

  it('stops with one line naming the origin when CORS_ALLOW_ORIGIN=https://a.com:99999, and listens on nothing', async () => {
    const { spawned, ports } = await npmStart([], { CORS_ALLOW_ORIGIN: 'https://a.com:99999' });
    const { code } = await spawned.exited;
    const lines = spawned
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('>'));
    expect(code).to.not.equal(0);
    expect(lines).to.deep.equal([
      'npm start failed: CORS_ALLOW_ORIGIN: must be "*" or origins separated by commas: "https://a.com:99999" has port 99999, above 65535, the highest port',
    ]);
    expect(await portIsFree(ports.api), 'API port').to.equal(true);
    expect(await portIsFree(ports.dynamo), 'DynamoDB port').to.equal(true);
  });

  it('stops with one line when the origins would make the function environment larger than Lambda takes', async () => {
    const origins = Array.from({ length: 150 }, (_, i) => `https://app-${i}.example.com`).join(',');
    const bytes = lambdaEnvironmentBytes({ TABLE_NAME: 'items', CORS_ALLOW_ORIGIN: origins });
    expect(bytes).to.be.above(4096);
    const { spawned, ports } = await npmStart([], { CORS_ALLOW_ORIGIN: origins });
    const { code } = await spawned.exited;
    expect(code).to.not.equal(0);
    expect(spawned.output()).to.include(
      `\nnpm start failed: CORS_ALLOW_ORIGIN: makes the function's environment variables ${bytes} bytes as Lambda counts them (the JSON of TABLE_NAME, CORS_ALLOW_ORIGIN); Lambda allows 4096 in total\n`,
    );
    expect(await portIsFree(ports.api), 'API port').to.equal(true);
  });
});

describe('npm start: TABLE_NAME, CORS_ALLOW_ORIGIN and CACHE_CONTROL, read as the function reads them', () => {
  const cases: { env: Record<string, string>; result?: object; error?: string | RegExp }[] = [
    { env: {}, result: { tableName: 'items', corsAllowOrigins: undefined, cacheControl: undefined } },
    { env: { TABLE_NAME: 'mine', CORS_ALLOW_ORIGIN: '*', CACHE_CONTROL: ' max-age=60 ' }, result: { tableName: 'mine', corsAllowOrigins: '*', cacheControl: 'max-age=60' } }, // biome-ignore format: table row
    { env: { CORS_ALLOW_ORIGIN: 'http://127.0.0.1:5173,https://app.example.com' }, result: { tableName: 'items', corsAllowOrigins: ['http://127.0.0.1:5173', 'https://app.example.com'], cacheControl: undefined } }, // biome-ignore format: table row
    { env: { CORS_ALLOW_ORIGIN: 'http://[::1]:3000' }, result: { tableName: 'items', corsAllowOrigins: ['http://[::1]:3000'], cacheControl: undefined } }, // biome-ignore format: table row
    {
      env: { CORS_ALLOW_ORIGIN: 'https://app.example.com/' },
      error: /^CORS_ALLOW_ORIGIN: must be "\*" or origins/,
    },
    { env: { CORS_ALLOW_ORIGIN: 'https://bücher.example' }, error: 'CORS_ALLOW_ORIGIN: must be "*" or origins separated by commas: "https://bücher.example" has a non-ASCII host, which browsers send in punycode: write "https://xn--bcher-kva.example"' }, // biome-ignore format: table row
    { env: { CACHE_CONTROL: 'max-age=5\nX: y' }, error: 'CACHE_CONTROL: must be a single line' },
    {
      env: { CACHE_CONTROL: 'no-cache, no-store, max-age=5' },
      error: /^CACHE_CONTROL: no-store with max-age: no-store forbids/,
    },
    { env: { TABLE_NAME: 'no spaces' }, error: /^TABLE_NAME: must be 3-255 characters/ },
  ];
  for (const { env, result, error } of cases) {
    it(`${error ? 'refuses' : 'accepts'} ${JSON.stringify(env)}`, () => {
      if (error) expect(() => responseOptionsFromEnv(env)).to.throw(error as string);
      else expect(responseOptionsFromEnv(env)).to.deep.equal(result);
    });
  }
});

describe('npm start arguments', () => {
  const cases: { argv: string[]; result?: { dataDir?: string }; error?: RegExp }[] = [
    { argv: [], result: { dataDir: undefined } },
    { argv: ['--data-dir', 'x'], result: { dataDir: 'x' } },
    { argv: ['--data-dir=x'], result: { dataDir: 'x' } },
    { argv: ['--data-dir=a=b'], result: { dataDir: 'a=b' } },
    { argv: ['--data-dir'], error: /--data-dir needs a folder/ },
    { argv: ['--data-dir='], error: /--data-dir needs a folder/ },
    { argv: ['--data-dir', '--port'], error: /--data-dir needs a folder/ },
    { argv: ['--datadir=x'], error: /unknown argument "--datadir=x"\nusage: npm start/ },
    { argv: ['extra'], error: /unknown argument "extra"/ },
  ];
  for (const { argv, result, error } of cases) {
    it(`${error ? 'refuses' : 'accepts'} ${JSON.stringify(argv)}`, () => {
      if (error) expect(() => parseStartArgs(argv)).to.throw(error);
      else expect(parseStartArgs(argv)).to.deep.equal(result);
    });
  }
});
