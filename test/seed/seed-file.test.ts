import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { readSeedFile, SeedFileError, seedFromFile } from '#local/seed-items';
import { REPO_ROOT } from '../support/repo-root';

const run = promisify(execFile);
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** Items k0, k1, ... with a little of every JSON type. */
function items(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    pk: `k${i}`,
    n: i,
    tags: ['a', i],
    on: i % 2 === 0,
    none: null,
  }));
}

describe('seed files: validated whole before anything is written (real files)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'item-api-seed-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  let fileCount = 0;
  /** Writes raw JSON text, so tests control exactly what the file holds (numbers, __proto__). */
  function file(content: unknown): string {
    const name = path.join(dir, `seed-${fileCount++}.json`);
    writeFileSync(name, typeof content === 'string' ? content : JSON.stringify(content));
    return name;
  }

  /** A valid item whose size, as DynamoDB counts it, is exactly `bytes`: names pk, sk, s. */
  const sized = (id: string, bytes: number) => ({ pk: id, s: 'a'.repeat(bytes - 2 * (2 + id.length) - 1) });
  const withItemAt = (index: number, item: unknown) => {
    const all: unknown[] = items(60);
    all[index] = item;
    return all;
  };

  const invalid: { name: string; content: unknown; problem: RegExp }[] = [
    {
      name: 'a duplicate id in a later batch',
      content: [...items(50), { pk: 'k3', note: 'again' }],
      problem: /item 50 \(id "k3"\): has the same key as item 3/,
    },
    {
      name: 'a duplicate key given with an explicit sk',
      content: [{ pk: 'a', sk: 'b' }, { pk: 'a', sk: 'b' }],
      problem: /item 1 \(id "a"\): has the same key as item 0/,
    },
    { name: 'a partition key of 2,050 bytes', content: withItemAt(40, { pk: 'é'.repeat(1025), sk: 's' }), problem: /item 40 \(id "é+"\): "pk" is 2050 bytes of UTF-8; DynamoDB allows 2048/ },
    { name: 'a sort key (= pk) of 1,025 bytes', content: withItemAt(41, { pk: 'x'.repeat(1025) }), problem: /item 41 \(id "x+"\): "sk" is 1025 bytes of UTF-8; DynamoDB allows 1024/ },
    { name: 'an item one byte over 400 KB', content: withItemAt(42, sized('big', 409_601)), problem: /item 42 \(id "big"\): is 409601 bytes as DynamoDB counts them; DynamoDB allows 409600/ },
    { name: 'a number of 39 significant digits', content: `[{"pk":"ok"},{"pk":"n39","v":{"deep":[123456789012345678901234567890123456789]}}]`, problem: /item 1 \(id "n39"\): the number at v\.deep\[0\] \(123456789012345678901234567890123456789\) has 39 significant digits/ },
    { name: 'a number too large', content: '[{"pk":"huge","v":1E+126}]', problem: /item 0 \(id "huge"\): the number at v \(1E\+126\) is larger/ },
    { name: 'an item that is not an object', content: [{ pk: 'a' }, 'text'], problem: /item 1: is not a JSON object/ },
    { name: 'an item without pk', content: [{ pk: 'a' }, { id: 'b' }], problem: /item 1: needs a non-empty string "pk"/ },
    { name: 'a number as sk', content: [{ pk: 'a', sk: 5 }], problem: /item 0 \(id "a"\): "sk" must be a non-empty string/ },
    { name: 'an empty attribute name', content: '[{"pk":"a","":1}]', problem: /item 0 \(id "a"\): has an attribute with an empty name/ },
    { name: 'nesting 33 levels deep', content: [{ pk: 'deep', v: JSON.parse(`${'['.repeat(33)}${']'.repeat(33)}`) }], problem: /item 0 \(id "deep"\): nests 33 levels deep; DynamoDB allows 32/ },
    {
      name: 'an attribute named __proto__, which dynalite would drop or reject',
      content: '[{"pk":"plain"},{"pk":"odd","m":{"ok":1,"__proto__":2}}]',
      problem: /item 1 \(id "odd"\): has an attribute named __proto__ \(m\.__proto__\): DynamoDB accepts the name, but dynalite/,
    },
    { name: 'a file that is not an array', content: { pk: 'a' }, problem: /expected a JSON array/ },
    { name: 'a file that is not JSON', content: '[{"pk":', problem: /not valid JSON/ },
  ]; // biome-ignore format: table rows
  for (const { name, content, problem } of invalid) {
    it(`refuses ${name}, naming the item, and writes nothing`, async () => {
      const seedFile = file(content);
      expect(() => readSeedFile(seedFile)).to.throw(SeedFileError, problem);
      expect(() => readSeedFile(seedFile)).to.throw(/nothing written/);
    });
  }

  it('accepts an item of exactly 400 KB as DynamoDB counts it', () => {
    expect(readSeedFile(file([sized('edge', 409_600)]))).to.have.length(1);
  });

  it('lists every problem in the file, not just the first', () => {
    const content = [{ pk: 'a' }, { pk: 'a' }, 'x', { pk: 'y'.repeat(1025) }];
    expect(() => readSeedFile(file(content))).to.throw(
      /3 problem\(s\)[\s\S]*item 1[\s\S]*item 2[\s\S]*item 3/,
    );
  });

  describe('against dynalite', () => {
    let dynamo: LocalDynamo;
    let client: DynamoDBClient;
    let tableCount = 0;
    before(async () => {
      dynamo = await startLocalDynamo();
      client = localClient(dynamo.endpoint);
    });
    after(async () => {
      client?.destroy();
      await dynamo?.close();
    });
    async function freshTable(): Promise<string> {
      const table = `seed-${tableCount++}`;
      await ensureItemsTable(client, table);
      return table;
    }
    async function count(table: string): Promise<number> {
      return (await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? -1;
    }
    function seedCli(seedFile: string, table: string) {
      return run(TSX, [path.join(REPO_ROOT, 'scripts', 'seed.ts'), seedFile, '--table', table], {
        env: { ...process.env, ...localFunctionEnv(dynamo.endpoint) },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    }

    it('npm run seed writes nothing when a later item is invalid, and says which in its error', async () => {
      const table = await freshTable();
      const result = await seedCli(file([...items(59), { pk: 'k7' }]), table);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(/item 59 \(id "k7"\): has the same key as item 7/);
      expect(await count(table)).to.equal(0);
    });

    it('npm run seed reports the number of distinct items written', async () => {
      const table = await freshTable();
      const result = await seedCli(file(items(60)), table);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(/seeded 60 distinct items into seed-\d+ at http/);
      expect(await count(table)).to.equal(60);
    });

    it('writes constructor, toString and the like as ordinary attributes', async () => {
      const table = await freshTable();
      const seedFile = file(
        '[{"pk":"names","constructor":1,"toString":"t","valueOf":{"hasOwnProperty":true}}]',
      );
      expect(await seedFromFile(client, table, seedFile)).to.equal(1);
    });
  });
});
