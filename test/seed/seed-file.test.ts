import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { readSeedFile, readSeedFiles, SeedFileError } from '#local/seed-items';
import { items, seedFolder } from './seed-files';

describe('seed files: read strictly and checked whole before anything is written', () => {
  const folder = seedFolder('item-api-seed-');
  before(() => folder.create());
  after(() => folder.remove());

  /** A valid item whose size, as DynamoDB counts it, is exactly `bytes`: names pk, sk, s. */
  const sized = (id: string, bytes: number) => ({ pk: id, s: 'a'.repeat(bytes - 2 * (2 + id.length) - 1) });
  const withItemAt = (index: number, item: unknown) => {
    const all: unknown[] = items(60);
    all[index] = item;
    return all;
  };
  const utf16 = (text: string, bom: boolean) => {
    const body = Buffer.from(text, 'utf16le');
    return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
  };

  // Each row is a file as a user might hand it over, and the one problem it must be refused with.
  const invalid: { name: string; content: unknown; problem: RegExp }[] = [
    // Bytes and encodings
    { name: 'a Latin-1 file ("café" as E9)', content: Buffer.from('[{"pk":"caf\xe9"}]', 'latin1'), problem: /\n {2}is not UTF-8: byte 0xE9 at byte offset 11 \(line 1, column 12\) is not valid UTF-8.*RFC 8259 §8\.1.*iconv/ },
    { name: 'Latin-1 on a later line', content: Buffer.from('[\n{"pk":"a"},\n{"pk":"\xfcber"}]', 'latin1'), problem: /byte 0xFC at byte offset 21 \(line 3, column 8\)/ },
    { name: 'a genuine U+FFFD before the bad byte', content: Buffer.concat([Buffer.from('[{"pk":"\uFFFD"},{"pk":"'), Buffer.from([0xe9]), Buffer.from('"}]')]), problem: /byte 0xE9 at byte offset 21 \(line 1, column 20\)/ },
    { name: 'an overlong encoding of "/"', content: Buffer.concat([Buffer.from('[{"pk":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}]')]), problem: /byte 0xC0 at byte offset 9 / },
    { name: 'a surrogate encoded in UTF-8 (CESU)', content: Buffer.concat([Buffer.from('[{"pk":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}]')]), problem: /byte 0xED at byte offset 8 / },
    { name: 'a character cut short at the end', content: Buffer.concat([Buffer.from('[{"pk":"a"}]'), Buffer.from([0xe2, 0x82])]), problem: /byte 0xE2 at byte offset 12 / },
    { name: 'a UTF-8 byte order mark', content: `\uFEFF${JSON.stringify(items(1))}`, problem: /\n {2}starts with a UTF-8 byte order mark \(EF BB BF\); save the file as UTF-8 without one/ },
    { name: 'UTF-16 with its byte order mark', content: utf16(JSON.stringify(items(1)), true), problem: /\n {2}starts with a UTF-16 little-endian byte order mark \(FF FE\): it is UTF-16; save it as UTF-8/ },
    { name: 'big-endian UTF-16', content: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('[]', 'utf16le').swap16()]), problem: /UTF-16 big-endian byte order mark \(FE FF\)/ },
    { name: 'UTF-16 without a byte order mark', content: utf16('[{"pk":"a"}]', false), problem: /\n {2}has a NUL byte at byte offset 1 \(line 1, column 2\), which JSON text never holds: is it UTF-16\?/ },
    // Files that are not there or not JSON
    { name: 'an empty file', content: '', problem: /\n {2}is empty; expected a JSON array of items/ },
    { name: 'a file of blanks', content: ' \n\t', problem: /\n {2}is empty/ },
    { name: 'a file that is not JSON', content: '[{"pk":', problem: /\n {2}is not valid JSON: .* at position 7 \(line 1, column 8\)/ },
    { name: 'trailing text after the array', content: '[{"pk":"a"}]\nx', problem: /\n {2}is not valid JSON: Expected end of input .*\(line 2, column 1\)/ },
    { name: 'an attribute given twice in one object', content: '[{"pk":"a","pk":"b"}]', problem: /\n {2}is not valid JSON: Duplicate key 'pk'/ },
    { name: 'a file that is not an array', content: { pk: 'a' }, problem: /\n {2}is not a JSON array of items/ },
    { name: '100,000 levels of nesting', content: `[{"pk":"x","v":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`, problem: /\n {2}item 0: nests 100000 levels deep; DynamoDB allows 32/ },
    { name: 'deep nesting in a later item, brackets inside strings ignored', content: `[{"pk":"a","s":"[[[["},{"pk":"b","v":${'['.repeat(600)}${']'.repeat(600)}}]`, problem: /\n {2}item 1: nests 600 levels deep; DynamoDB allows 32/ },
    // Ids the API could never serve
    { name: 'a lone high surrogate as id', content: '[{"pk":"\\ud800"}]', problem: /item 0 \(id "\\ud800"\): the id is not valid Unicode \(a lone surrogate, U\+D800 at character 1\): the API answers 400/ },
    { name: 'a lone low surrogate as id', content: '[{"pk":"ok"},{"pk":"a\\udc00"}]', problem: /item 1 \(id "a\\udc00"\): the id is not valid Unicode \(a lone surrogate, U\+DC00 at character 2\)/ },
    { name: 'a control character in the id', content: '[{"pk":"a\\u0001b"}]', problem: /item 0 \(id "a\\u0001b"\): the id contains a control character \(U\+0001 at character 2\): the API answers 400 for such an id, so this item could never be read/ },
    { name: 'DEL in the id', content: '[{"pk":"a\\u007f"}]', problem: /item 0 \(id "a\\u007f"\): the id contains a control character \(U\+007F at character 2\)/ },
    { name: 'a C1 control (NEL) in the id', content: '[{"pk":"\\u0085"}]', problem: /item 0 \(id "\\u0085"\): the id contains a control character \(U\+0085 at character 1\)/ },
    { name: 'a newline in the id', content: '[{"pk":"line\\nbreak"}]', problem: /the id contains a control character \(U\+000A at character 5\)/ },
    { name: 'an id of 1,025 bytes', content: withItemAt(41, { pk: 'x'.repeat(1025) }), problem: /item 41 \(id "x{32}…"\): the id is longer than 1024 bytes of UTF-8 \(1025 bytes\).*DynamoDB keeps sort keys to 1024 bytes/ },
    { name: 'an id of 2,050 bytes', content: withItemAt(40, { pk: 'é'.repeat(1025) }), problem: /item 40 \(id "é{32}…"\): the id is longer than 1024 bytes of UTF-8 \(2050 bytes\)/ },
    { name: 'an sk other than the id', content: [{ pk: 'a', sk: 'b' }], problem: /item 0 \(id "a"\): "sk" is "b", but the API reads each item at pk = sk = id, so it could never serve this one; leave "sk" out/ },
    { name: 'a number as sk', content: [{ pk: 'a', sk: 5 }], problem: /item 0 \(id "a"\): "sk" is 5, but the API reads/ },
    { name: 'an item without pk', content: [{ pk: 'a' }, { id: 'b' }], problem: /item 1: needs a non-empty string "pk", its id/ },
    { name: 'an empty pk', content: [{ pk: '' }], problem: /item 0: needs a non-empty string "pk"/ },
    // Strings DynamoDB would change
    { name: 'a lone surrogate in a nested value', content: '[{"pk":"a","m":{"l":["ok","\\udfff"]}}]', problem: /item 0 \(id "a"\): the string at m\.l\[1\] is not valid Unicode \(a lone surrogate, U\+DFFF at character 1\): DynamoDB would store U\+FFFD in its place/ },
    { name: 'a lone surrogate in an attribute name', content: '[{"pk":"a","x\\ud800":1}]', problem: /the attribute name at "x\\ud800" is not valid Unicode/ },
    // DynamoDB's limits and duplicates
    { name: 'a duplicate id in a later batch', content: [...items(50), { pk: 'k3', note: 'again' }], problem: /item 50 \(id "k3"\): has the same id as item 3/ },
    { name: 'an item one byte over 400 KB', content: withItemAt(42, sized('big', 409_601)), problem: /item 42 \(id "big"\): is 409601 bytes as DynamoDB counts them; DynamoDB allows 409600/ },
    { name: 'a number of 39 significant digits', content: `[{"pk":"ok"},{"pk":"n39","v":{"deep":[123456789012345678901234567890123456789]}}]`, problem: /item 1 \(id "n39"\): the number at v\.deep\[0\] \(123456789012345678901234567890123456789\) has 39 significant digits/ },
    { name: 'a number too large', content: '[{"pk":"huge","v":1E+126}]', problem: /item 0 \(id "huge"\): the number at v \(1E\+126\) is larger/ },
    { name: 'an item that is not an object', content: [{ pk: 'a' }, 'text'], problem: /item 1: is not a JSON object/ },
    { name: 'an empty attribute name', content: '[{"pk":"a","":1}]', problem: /item 0 \(id "a"\): has an attribute with an empty name/ },
    { name: 'nesting 33 levels deep', content: [{ pk: 'deep', v: JSON.parse(`${'['.repeat(33)}${']'.repeat(33)}`) }], problem: /item 0 \(id "deep"\): nests 33 levels deep; DynamoDB allows 32/ },
    {
      name: 'an attribute named __proto__, which dynalite would drop or reject',
      content: '[{"pk":"plain"},{"pk":"odd","m":{"ok":1,"__proto__":2}}]',
      problem: /item 1 \(id "odd"\): has an attribute named __proto__ \(m\.__proto__\): DynamoDB accepts the name, but dynalite/,
    },
  ]; // biome-ignore format: table rows
  for (const { name, content, problem } of invalid) {
    it(`refuses ${name}, naming the file and the problem, and writes nothing`, () => {
      const seedFile = folder.file(content);
      expect(() => readSeedFile(seedFile))
        .to.throw(SeedFileError)
        .with.property('message')
        .that.matches(problem)
        .and.satisfies((message: string) => message.startsWith(`${seedFile}: `))
        .and.matches(/\nnothing written$/);
    });
  }

  it('refuses a file that is not there, and one that is a folder, saying which', () => {
    const missing = folder.path('missing.json');
    expect(() => readSeedFile(missing)).to.throw(
      `${missing}: 1 problem(s):\n  cannot be read: there is no such file`,
    );
    const dir = folder.path('a-folder.json');
    mkdirSync(dir);
    expect(() => readSeedFile(dir)).to.throw(/cannot be read: it is a folder, not a file/);
  });

  it('accepts an item of exactly 400 KB, an id of exactly 1,024 bytes and an sk equal to the id', () => {
    const content = [sized('edge', 409_600), { pk: `${'ü'.repeat(511)}ok` }, { pk: 'same', sk: 'same' }];
    expect(readSeedFile(folder.file(content))).to.have.length(3);
  });

  it('accepts a genuine U+FFFD, non-characters and astral characters in ids: the API serves them', () => {
    expect(
      readSeedFile(folder.file('[{"pk":"\uFFFD"},{"pk":"\uFFFE"},{"pk":"😀"}]')).map((i) => i.id),
    ).to.deep.equal(['\uFFFD', '\uFFFE', '😀']);
  });

  it('lists every problem in the file, not just the first', () => {
    const content = [{ pk: 'a' }, { pk: 'a' }, 'x', { pk: 'y'.repeat(1025) }];
    expect(() => readSeedFile(folder.file(content))).to.throw(
      /3 problem\(s\):[\s\S]*item 1[\s\S]*item 2[\s\S]*item 3/,
    );
  });

  it('reads several files as one seed: every problem of every file, and ids repeated across files', () => {
    const a = folder.file([{ pk: 'x' }, { pk: 'y' }], 'a.json');
    const b = folder.file([{ pk: 'z' }, { pk: 'x' }], 'b.json');
    const latin1 = folder.file(Buffer.from('[{"pk":"\xe9"}]', 'latin1'), 'c.json');
    expect(readSeedFiles([a, folder.file([{ pk: 'w' }])]).map((i) => i.id)).to.deep.equal(['x', 'y', 'w']);
    expect(() => readSeedFiles([a, b, latin1]))
      .to.throw(SeedFileError)
      .with.property('message')
      .that.matches(
        new RegExp(`^${b}: 1 problem\\(s\\):\\n  item 1 \\(id "x"\\): has the same id as ${a} item 0\\n`),
      )
      .and.matches(
        new RegExp(`\\n${latin1}: 1 problem\\(s\\):\\n  is not UTF-8: byte 0xE9 at byte offset 8`),
      );
  });

  it('refuses the same file named twice, however it is spelled', () => {
    const a = folder.file(items(2), 'twice.json');
    const again = path.join(path.dirname(a), '.', path.basename(a));
    expect(() => readSeedFiles([a, again])).to.throw(
      `${again}: 1 problem(s):\n  is the same file as ${a}, named twice`,
    );
  });
});
