import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { jsonNumber, renderItem } from '../../handler/src/item-json';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('item JSON rendering', () => {
  const cases: { type: string; value: AttributeValue; json: string }[] = [
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
    { type: 'B', value: { B: bytes(0, 1, 2, 253, 254, 255) }, json: '"AAEC/f7/"' },
    {
      type: 'B (a view into a larger buffer)',
      value: { B: new Uint8Array(bytes(9, 9, 104, 105, 9).buffer, 2, 2) },
      json: '"aGk="',
    },
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
    { type: 'BS', value: { BS: [bytes(1), bytes(2, 3)] }, json: '["AQ==","AgM="]' },
    {
      type: 'sets nested in a list in a map',
      value: { M: { sets: { L: [{ SS: ['a'] }, { NS: ['0.5'] }, { BS: [bytes(255)] }] } } },
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
    expect(() => renderItem({ v: { $unknown: ['X', 1] } as AttributeValue })).to.throw(/Unsupported/);
  });
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
  ];
  for (const [input, output] of cases) {
    it(`writes ${input} as ${output}`, () => {
      expect(jsonNumber(input)).to.equal(output);
      expect(() => JSON.parse(output)).to.not.throw();
    });
  }

  for (const garbage of ['', '.', 'abc', '1..2', 'NaN', 'Infinity', '1e']) {
    it(`rejects ${JSON.stringify(garbage)} as not a number`, () => {
      expect(() => jsonNumber(garbage)).to.throw(/not a number/);
    });
  }
});
