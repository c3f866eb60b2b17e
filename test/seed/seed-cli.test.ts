import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import {
  ensureItemsTable,
  type LocalDynamo,
  localClient,
  localFunctionEnv,
  startLocalDynamo,
} from '#local/local-dynamodb';
import { seedFromFile } from '#local/seed-items';
import { parseSeedArgs } from '../../scripts/seed';
import type { HttpStub } from '../support/http-stub';
import { REPO_ROOT } from '../support/repo-root';
import { items, seedFolder } from './seed-files';
import { startThrottlingProxy, type Throttling } from './throttling-proxy';

const run = promisify(execFile);
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

describe('npm run seed as a real process, against dynalite', function () {
  this.timeout(60_000);
  const folder = seedFolder('item-api-seed-cli-');
  let dynamo: LocalDynamo;
  let client: DynamoDBClient;
  let tableCount = 0;
  before(async () => {
    folder.create();
    dynamo = await startLocalDynamo();
    client = localClient(dynamo.endpoint);
  });
  after(async () => {
    client?.destroy();
    await dynamo?.close();
    folder.remove();
  });

  async function freshTable(): Promise<string> {
    const table = `seed-${tableCount++}`;
    await ensureItemsTable(client, table);
    return table;
  }
  async function count(table: string): Promise<number> {
    return (await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? -1;
  }
  /** `npm run seed -- <args>` as the script runs it, against `endpoint` (dynalite unless a proxy). */
  function seed(args: string[], env: Record<string, string> = {}, endpoint = dynamo.endpoint) {
    return run(TSX, [path.join(REPO_ROOT, 'scripts', 'seed.ts'), ...args], {
      env: { ...process.env, TABLE_NAME: '', ...localFunctionEnv(endpoint), ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  }

  it('exits non-zero on a Latin-1 file, naming the byte offset, and writes nothing', async () => {
    const table = await freshTable();
    const latin1 = folder.file(Buffer.from('[{"pk":"ok"},{"pk":"caf\xe9"}]', 'latin1'));
    const result = await seed([latin1, '--table', table]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      `${latin1}: 1 problem(s):\n  is not UTF-8: byte 0xE9 at byte offset 23 (line 1, column 24) is not valid UTF-8, ` +
        'and JSON files must be UTF-8 (RFC 8259 §8.1). Nothing was read past it. If the file is Latin-1 or ' +
        'Windows-1252, convert it: iconv -f WINDOWS-1252 -t UTF-8 in.json > out.json\nnothing written\n',
    );
    expect(await count(table)).to.equal(0);
  });

  it('seeds every file it is given, a.json and b.json, and says so', async () => {
    const table = await freshTable();
    const a = folder.file(items(30, 'a'), 'a.json');
    const b = folder.file(items(40, 'b'), 'b.json');
    const result = await seed([a, b, '--table', table]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal(
      `seeded 70 distinct items from 2 files into ${table} at ${dynamo.endpoint}\n`,
    );
    expect(await count(table)).to.equal(70);
  });

  it('writes nothing from a.json when b.json has a problem or repeats an id of a.json', async () => {
    const table = await freshTable();
    const a = folder.file(items(30, 'a'));
    const bad = folder.file([...items(3, 'b'), { pk: 'a7' }]);
    const result = await seed(['--table', table, a, bad]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(
      `${bad}: 1 problem(s):\n  item 3 (id "a7"): has the same id as ${a} item 7\n`,
    );
    expect(await count(table)).to.equal(0);
  });

  it('writes nothing when a later item is invalid, and says which in its error', async () => {
    const table = await freshTable();
    const result = await seed([folder.file([...items(59), { pk: 'k7' }]), '--table', table]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/item 59 \(id "k7"\): has the same id as item 7/);
    expect(await count(table)).to.equal(0);
  });

  it('refuses --tabel, and writes nothing to the table TABLE_NAME names', async () => {
    const table = await freshTable();
    const result = await seed([folder.file(items(5)), '--tabel', 'nope'], { TABLE_NAME: table });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      'unknown option --tabel (did you mean --table?)\nusage: npm run seed -- <file.json>... [--table NAME]   (or set TABLE_NAME)\n',
    );
    expect(await count(table)).to.equal(0);
  });

  it('names a table that does not exist, with the endpoint and region, and writes nothing', async () => {
    const result = await seed([folder.file(items(5)), '--table', 'nope']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      `table "nope" does not exist at ${dynamo.endpoint} (region us-east-1); nothing was written. ` +
        'Create it, or name another with --table (npm start creates "items")\n',
    );
  });

  describe('when DynamoDB throttles part-way (a real server in front of dynalite)', () => {
    const proxies: HttpStub[] = [];
    after(() => Promise.all(proxies.map((proxy) => proxy.close())));
    const throttlingProxy = async (throttling: Throttling) => {
      const proxy = await startThrottlingProxy(dynamo.endpoint, throttling);
      proxies.push(proxy);
      return proxy;
    };

    it('says how many of how many items were written and that running again is safe, which it is', async () => {
      const proxy = await throttlingProxy({ allowedWrites: 3 });
      const table = await freshTable();
      const seedFile = folder.file(items(300));
      const throttled = await seed([seedFile, '--table', table], {}, proxy.endpoint);
      expect(throttled.code).to.equal(1);
      expect(throttled.stderr).to.equal(
        `writing to table "${table}" failed: ThrottlingException: Rate exceeded\n75 of 300 items were written. ` +
          'Running the same command again is safe: each item is put whole under its own key, so a second run ' +
          'writes the same items again and ends in the same state.\n',
      );
      expect(await count(table), 'the three batches before the throttling').to.equal(75);

      const again = await seed([seedFile, '--table', table]);
      expect(again.code, again.stderr).to.equal(0);
      expect(await count(table)).to.equal(300);
    });

    it('counts a half-done batch by what was written, and writes the rest again', async () => {
      const proxy = await throttlingProxy({ allowedWrites: Number.POSITIVE_INFINITY, halfDoneWrite: 2 });
      const table = await freshTable();
      const result = await seed([folder.file(items(60)), '--table', table], {}, proxy.endpoint);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal(`seeded 60 distinct items into ${table} at ${proxy.endpoint}\n`);
      expect(await count(table)).to.equal(60);
    });

    it('counts a half-done batch when the run then fails', async () => {
      const proxy = await throttlingProxy({ allowedWrites: 2, halfDoneWrite: 2 });
      const table = await freshTable();
      const result = await seed([folder.file(items(60)), '--table', table], {}, proxy.endpoint);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(
        /^writing to table "seed-\d+" failed: ThrottlingException: Rate exceeded\n38 of 60 items were written\./,
      );
      expect(await count(table)).to.equal(38);
    });
  });

  it('writes constructor, toString and the like as ordinary attributes', async () => {
    const table = await freshTable();
    const seedFile = folder.file(
      '[{"pk":"names","constructor":1,"toString":"t","valueOf":{"hasOwnProperty":true}}]',
    );
    expect(await seedFromFile(client, table, seedFile)).to.equal(1);
  });
});

describe('npm run seed arguments', () => {
  const USAGE = 'usage: npm run seed -- <file.json>... [--table NAME]   (or set TABLE_NAME)';
  const cases: { argv: string[]; env?: Record<string, string>; result?: object; error?: string | RegExp }[] = [
    { argv: ['a.json', '--table', 'items'], result: { files: ['a.json'], tableName: 'items' } },
    { argv: ['--table=items', 'a.json', 'b.json'], result: { files: ['a.json', 'b.json'], tableName: 'items' } },
    { argv: ['a.json'], env: { TABLE_NAME: ' items ' }, result: { files: ['a.json'], tableName: 'items' } },
    { argv: ['--', '--odd-name.json', '--table'], env: { TABLE_NAME: 'items' }, result: { files: ['--odd-name.json', '--table'], tableName: 'items' } },
    { argv: ['-h'], result: 'help' as unknown as object },
    { argv: ['a.json', '--tabel', 'nope'], error: `unknown option --tabel (did you mean --table?)\n${USAGE}` },
    { argv: ['a.json', '-t', 'items'], error: `unknown option -t (did you mean --table?)\n${USAGE}` },
    { argv: ['a.json', '--force'], error: `unknown option --force\n${USAGE}` },
    { argv: ['a.json', '--table'], error: /^Option '--table <value>' argument missing\nusage:/ },
    { argv: ['a.json', '--table', '--force'], error: /^Option '--table' argument is ambiguous\nusage:/ },
    { argv: ['a.json', '--table', 'a', '--table', 'b'], error: `--table is given more than once\n${USAGE}` },
    { argv: ['a.json', '--table='], error: `no table: pass --table NAME or set TABLE_NAME\n${USAGE}` },
    { argv: ['a.json'], error: `no table: pass --table NAME or set TABLE_NAME\n${USAGE}` },
    { argv: ['--table', 'items'], error: `no seed file given\n${USAGE}` },
    { argv: ['a.json', '--table', 'my table'], error: '--table must be 3-255 characters of A-Z, a-z, 0-9, "_", "-" or ".", got "my table"' },
    { argv: ['a.json'], env: { TABLE_NAME: 'x' }, error: 'TABLE_NAME must be 3-255 characters of A-Z, a-z, 0-9, "_", "-" or ".", got "x"' },
  ]; // biome-ignore format: table rows
  for (const { argv, env = {}, result, error } of cases) {
    it(`${error ? 'refuses' : 'accepts'} ${JSON.stringify(argv)}${Object.keys(env).length ? ` with ${JSON.stringify(env)}` : ''}`, () => {
      if (error) expect(() => parseSeedArgs(argv, env)).to.throw(error as string);
      else expect(parseSeedArgs(argv, env)).to.deep.equal(result);
    });
  }
});
