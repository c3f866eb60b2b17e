import { createRequire } from 'node:module';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import fc from 'fast-check';
import { itemSize, nestingDepth, numberProblem } from '#local/dynamodb-item-limits';

/** dynalite's own size accounting, which its author matched against DynamoDB's consumed capacity. */
const dynaliteItemSize = createRequire(__filename)('dynalite/db').itemSize as (item: unknown) => number;

const asciiNames = fc.string({ unit: fc.constantFrom(...'abcxyz_0'), minLength: 1, maxLength: 6 });
const numbers = fc
  .tuple(
    fc.constantFrom('', '-'),
    fc.bigInt({ min: 0n, max: 10n ** 38n - 1n }),
    fc.integer({ min: -60, max: 60 }),
  )
  .map(([sign, digits, exponent]) => `${sign}${digits}e${exponent}`);
const { value: values } = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme-ascii' }).map((S) => ({ S })),
    numbers.map((N) => ({ N })),
    fc.boolean().map((BOOL) => ({ BOOL })),
    fc.constant({ NULL: true }),
    fc.array(tie('value'), { maxLength: 4 }).map((L) => ({ L })),
    fc.dictionary(asciiNames, tie('value'), { maxKeys: 4, noNullPrototype: true }).map((M) => ({ M })),
  ),
}));

describe('item size as DynamoDB counts it', () => {
  it('agrees with dynalite for ASCII items (dynalite counts UTF-16 units, DynamoDB UTF-8 bytes)', () => {
    fc.assert(
      fc.property(fc.dictionary(asciiNames, values, { maxKeys: 6, noNullPrototype: true }), (item) => {
        expect(itemSize(item)).to.equal(dynaliteItemSize(item));
      }),
      { numRuns: 500 },
    );
  });

  it('counts names and strings in UTF-8 bytes', () => {
    expect(itemSize({ é: { S: '☕' } })).to.equal(2 + 3);
  });

  it('counts binary in bytes', () => {
    expect(
      itemSize({ b: { B: new Uint8Array(10) }, s: { BS: [new Uint8Array(3), new Uint8Array(4)] } }),
    ).to.equal(1 + 10 + 1 + 7);
  });
});

describe('DynamoDB number limits', () => {
  const cases: [string, RegExp | undefined][] = [
    ['12345678901234567890123456789012345678', undefined],
    ['123456789012345678901234567890123456789', /39 significant digits/],
    ['1234567890123456789012345678901234567800000', undefined],
    ['9.9999999999999999999999999999999999999E+125', undefined],
    ['1E+126', /larger/],
    ['1E-130', undefined],
    ['0.1E-130', /closer to zero/],
    ['0', undefined],
    ['-0.000', undefined],
  ];
  for (const [text, problem] of cases) {
    it(`${problem ? 'refuses' : 'accepts'} ${text}`, () => {
      if (problem) expect(numberProblem(text)).to.match(problem);
      else expect(numberProblem(text)).to.equal(undefined);
    });
  }
});

describe('nesting depth', () => {
  it('counts lists and maps, not scalars', () => {
    expect(nestingDepth({ S: 'x' })).to.equal(0);
    expect(nestingDepth({ L: [{ M: { a: { L: [] } } }] })).to.equal(3);
  });
});
