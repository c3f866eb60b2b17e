import { expect } from 'chai';
import { jsonNumber, renderItem } from '#handler/src/item-json';
import type { WireItem, WireValue } from '#handler/src/wire-item';

describe('item JSON rendering', () => {
  const cases: { type: string; value: WireValue; json: string }[] = [
    { type: 'S', value: { S: 'héllo "quoted" \n ☕' }, json: '"héllo \\"quoted\\" \\n ☕"' },
    { type: 'N (integer)', value: { N: '42' }, json: '42' },
    {
      type: 'N (38 digits)',
      value: { N: '12345678901234567890123456789012345678' },
      json: '12345678901234567890123456789012345678',
    },
    {
      type: 'N (38-digit fraction)',
      value: { N: '-0.12345678901234567890123456789012345678' },
      json: '-0.12345678901234567890123456789012345678',
    },
    { type: 'N (exponent)', value: { N: '1E+125' }, json: '1e+125' },
    { type: 'N (trailing zeros kept)', value: { N: '12.50' }, json: '12.50' },
    { type: 'B (base64 on the wire, kept as it is)', value: { B: 'AAEC/f7/' }, json: '"AAEC/f7/"' },
    { type: 'BOOL true', value: { BOOL: true }, json: 'true' },
    { type: 'BOOL false', value: { BOOL: false }, json: 'false' },
    { type: 'NULL', value: { NULL: true }, json: 'null' },
    { type: 'L', value: { L: [{ S: 'a' }, { N: '1' }, { L: [] }] }, json: '["a",1,[]]' },
    { type: 'M (keys sorted)', value: { M: { b: { N: '2' }, a: { M: {} } } }, json: '{"a":{},"b":2}' },
    { type: 'SS', value: { SS: ['x', 'y'] }, json: '["x","y"]' },
    {
      type: 'NS (exact members)',
      value: { NS: ['1', '99999999999999999999999999999999999999'] },
      json: '[1,99999999999999999999999999999999999999]',
    },
    { type: 'BS', value: { BS: ['AQ==', 'AgM='] }, json: '["AQ==","AgM="]' },
    {
      type: 'sets nested in a list in a map',
      value: { M: { sets: { L: [{ SS: ['a'] }, { NS: ['0.5'] }, { BS: ['/w=='] }] } } },
      json: '{"sets":[["a"],[0.5],["/w=="]]}',
    },
  ];

  for (const { type, value, json } of cases) {
    it(`renders ${type} as ${json}`, () => {
      expect(renderItem({ v: value })).to.equal(`{"v":${json}}`);
    });
  }

  it('produces JSON that parses back to the same structure', () => {
    const text = renderItem({ pk: { S: 'a' }, n: { N: '7' }, l: { L: [{ NULL: true }, { BOOL: true }] } });
    expect(JSON.parse(text)).to.deep.equal({ l: [null, true], n: 7, pk: 'a' });
  });

  it('renders equal items to equal bytes whatever the attribute order', () => {
    expect(renderItem({ a: { S: '1' }, b: { S: '2' } })).to.equal(
      renderItem({ b: { S: '2' }, a: { S: '1' } }),
    );
  });

  it('refuses an attribute type it does not know instead of dropping it', () => {
    expect(() => renderItem({ v: { $unknown: ['X', 1] } as WireValue })).to.throw(/Unsupported/);
  });

  it('refuses an attribute value that is not an object', () => {
    expect(() => renderItem({ v: null } as unknown as WireItem)).to.throw(/not an object/);
  });

  // JSON.parse makes every name an own property, as DynamoDB's wire JSON carries it.
  const objectPrototypeNames = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];
  for (const name of objectPrototypeNames) {
    it(`renders an attribute named ${name}, at the top level and nested`, () => {
      const item: WireItem = JSON.parse(
        `{"pk":{"S":"a"},${JSON.stringify(name)}:{"S":"top"},"m":{"M":{${JSON.stringify(name)}:{"N":"1"}}}}`,
      );
      const text = renderItem(item);
      expect(text).to.include(`${JSON.stringify(name)}:"top"`);
      expect(text).to.include(`"m":{${JSON.stringify(name)}:1}`);
      expect(Object.keys(JSON.parse(text))).to.include(name);
    });
  }
});

describe('DynamoDB number to JSON number', () => {
  const cases: [string, string][] = [
    ['0', '0'],
    ['-0', '-0'],
    ['+5', '5'],
    ['007', '7'],
    ['.5', '0.5'],
    ['-.5', '-0.5'],
    ['5.', '5'],
    ['1e5', '1e5'],
    ['1.5E-130', '1.5e-130'],
    ['9.9999999999999999999999999999999999999E+125', '9.9999999999999999999999999999999999999e+125'],
    // As DynamoDB returns them: written out in full. Up to 20 padding zeros stay as they are.
    [`1${'0'.repeat(20)}`, `1${'0'.repeat(20)}`],
    [`1${'0'.repeat(21)}`, '1e+21'],
    [`-1${'0'.repeat(125)}`, '-1e+125'],
    [
      `12345678901234567890123456789012345678${'0'.repeat(88)}`,
      '1.2345678901234567890123456789012345678e+125',
    ],
    [`0.${'0'.repeat(19)}1`, `0.${'0'.repeat(19)}1`],
    [`0.${'0'.repeat(20)}1`, '1e-21'],
    [`-0.${'0'.repeat(129)}15`, '-1.5e-130'],
    [`0.${'0'.repeat(35)}1`, '1e-36'],
    [`1${'0'.repeat(30)}.5`, `1${'0'.repeat(30)}.5`],
    [`250${'0'.repeat(30)}.000`, '2.5e+32'],
    [`0.${'0'.repeat(30)}`, '0'],
    ['1000000000000000000000e5', '1e+26'],
  ];
  for (const [input, output] of cases) {
    it(`writes ${input} as ${output}`, () => {
      expect(jsonNumber(input)).to.equal(output);
      expect(() => JSON.parse(output)).to.not.throw();
    });
  }

  it('shortens padded numbers enough that a list of them renders within a few bytes each', () => {
    // The example: an item DynamoDB stores in about 150 KB rendered to 6.4 MB.
    const list = Array.from({ length: 50_000 }, () => ({ N: `-1${'0'.repeat(125)}` }));
    expect(renderItem({ l: { L: list } }).length).to.equal(
      '{"l":[]}'.length + 50_000 * '-1e+125,'.length - 1,
    );
  });

  for (const garbage of ['', '.', 'abc', '1..2', 'NaN', 'Infinity', '1e']) {
    it(`rejects ${JSON.stringify(garbage)} as not a number`, () => {
      expect(() => jsonNumber(garbage)).to.throw(/not a number/);
    });
  }
});
