import { expect } from 'chai';
import { BadRequestError } from '#handler/src/errors';
import { parseItemId } from '#handler/src/request';

const withRawId = (id: string | undefined) => ({ pathParameters: id === undefined ? null : { id } });

describe('item id parsing', () => {
  const valid: { name: string; raw: string; id: string }[] = [
    { name: 'a plain id', raw: 'abc-123', id: 'abc-123' },
    { name: 'an encoded slash', raw: 'a%2Fb', id: 'a/b' },
    { name: 'an encoded percent sign', raw: '100%25', id: '100%' },
    { name: 'a plus sign, which is not a space in a path', raw: 'a+b', id: 'a+b' },
    { name: 'an encoded space', raw: 'a%20b', id: 'a b' },
    { name: 'multi-byte UTF-8', raw: 'caf%C3%A9%20%E2%98%95%F0%9F%98%80', id: 'café ☕😀' },
    { name: 'already-decoded unicode', raw: 'café', id: 'café' },
    { name: '1,024 ASCII bytes', raw: 'a'.repeat(1024), id: 'a'.repeat(1024) },
    {
      name: '1,024 bytes of 4-byte characters',
      raw: encodeURIComponent('😀'.repeat(256)),
      id: '😀'.repeat(256),
    },
  ];
  for (const { name, raw, id } of valid) {
    it(`accepts ${name}`, () => expect(parseItemId(withRawId(raw))).to.equal(id));
  }

  const invalid: { name: string; raw: string | undefined; reason: RegExp }[] = [
    { name: 'no path parameters', raw: undefined, reason: /missing/ },
    { name: 'an empty id', raw: '', reason: /missing/ },
    { name: '%ZZ', raw: '%ZZ', reason: /percent-encoded/ },
    { name: 'a truncated escape %E0%A4%A', raw: '%E0%A4%A', reason: /percent-encoded/ },
    { name: 'a lone %', raw: '50%', reason: /percent-encoded/ },
    { name: 'an encoded lone surrogate', raw: '%ED%A0%80', reason: /percent-encoded/ },
    { name: 'a raw lone surrogate', raw: 'a\uD800b', reason: /Unicode/ },
    { name: 'NUL', raw: 'a%00', reason: /control/ },
    { name: 'a raw tab', raw: 'a\tb', reason: /control/ },
    { name: 'DEL', raw: '%7F', reason: /control/ },
    { name: 'a C1 control', raw: '%C2%85', reason: /control/ },
    { name: '1,025 ASCII bytes', raw: 'a'.repeat(1025), reason: /1024 bytes/ },
    {
      name: '1,026 bytes in 513 two-byte characters',
      raw: encodeURIComponent('é'.repeat(513)),
      reason: /1024 bytes/,
    },
    {
      name: '1,025 bytes ending in a multi-byte character',
      raw: encodeURIComponent(`${'a'.repeat(1023)}é`),
      reason: /1024 bytes/,
    },
  ];
  for (const { name, raw, reason } of invalid) {
    it(`rejects ${name} with a 400`, () => {
      expect(() => parseItemId(withRawId(raw)))
        .to.throw(BadRequestError, reason)
        .with.property('statusCode', 400);
    });
  }
});
