import type { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { expect } from 'chai';
import fc from 'fast-check';
import { isLosslessNumber, parse } from 'lossless-json';
import { renderItem } from '#handler/src/item-json';
import { MAX_ID_BYTES } from '#handler/src/key-schema';
import { LAMBDA_LIMITS, proxyResultBytes } from '#handler/src/lambda-limits';
import type { WireItem, WireValue } from '#handler/src/wire-item';
import { eventForId, lambdaContext } from '../support/events';
import { stubbedHandler } from '../support/stubbed-handler';
import { foundOutput, missingOutput } from '../support/wire';

const RUNS = Number(process.env.FAST_CHECK_RUNS ?? 3000);
const CONTRACT_STATUSES = [200, 304, 400, 404, 405, 500, 503];

const percentEncoded = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`),
      fc.string({ maxLength: 3 }),
    ),
    {
      maxLength: 40,
    },
  )
  .map((parts) => parts.join(''));
const rawIds = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }), // any code units, lone surrogates included
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  percentEncoded,
  fc.string({ unit: 'grapheme-ascii', minLength: 1000, maxLength: 1100 }),
  fc.string({ unit: 'binary', minLength: 300, maxLength: 3000 }),
  fc.constantFrom('%', '%%', '%E0%A4%A', '%ZZ', '%00', '%ED%A0%80', 'a%2Fb', ''),
);
const headers = fc.option(fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 })), {
  nil: null,
});
const events = fc.record(
  {
    httpMethod: fc.oneof(
      fc.constantFrom('GET', 'HEAD'),
      fc.constantFrom('POST', 'OPTIONS', 'DELETE', ''),
      fc.string({ maxLength: 8 }),
    ),
    pathParameters: fc.oneof(
      fc.constant(null),
      fc.constant({}),
      rawIds.map((id) => ({ id })),
    ),
    headers,
    multiValueHeaders: fc.option(
      fc.dictionary(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 40 }))),
      { nil: null },
    ),
    requestContext: fc.option(fc.record({ requestId: fc.string({ maxLength: 36 }) }), { nil: undefined }),
  },
  { requiredKeys: ['httpMethod'] },
);

/** The key rules, restated independently of request.ts. */
function isValidId(id: string): boolean {
  return (
    id !== '' && id.isWellFormed() && !/\p{Cc}/u.test(id) && Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES
  );
}

describe('property: arbitrary requests', function () {
  this.timeout(120_000);

  it(`never throws, answers only contract statuses with JSON errors, and keeps invalid ids from DynamoDB (${RUNS} runs)`, async () => {
    const { send, handler } = stubbedHandler();
    await fc.assert(
      fc.asyncProperty(events, fc.constantFrom('hit', 'miss', 'throttled'), async (event, outcome) => {
        send.resetHistory();
        if (outcome === 'hit') send.resolves(foundOutput({ pk: { S: 'x' }, sk: { S: 'x' } }));
        else if (outcome === 'miss') send.resolves(missingOutput());
        else send.rejects(Object.assign(new Error('t'), { name: 'ThrottlingException' }));

        const response = await handler(event as unknown as APIGatewayProxyEvent, lambdaContext());

        expect(CONTRACT_STATUSES).to.include(response.statusCode);
        if (event.httpMethod === 'HEAD') expect(response.body).to.equal('');
        else if (response.statusCode >= 400) {
          expect(JSON.parse(response.body)).to.have.property('message').that.is.a('string');
        }
        for (const call of send.getCalls()) {
          const { input } = call.args[0] as GetItemCommand;
          expect(isValidId(String(input.Key?.pk?.S)), 'an invalid id reached DynamoDB').to.equal(true);
        }
        const raw = (event.pathParameters as { id?: string } | null)?.id;
        if ((event.httpMethod === 'GET' || event.httpMethod === 'HEAD') && typeof raw === 'string') {
          let decoded: string | undefined;
          try {
            decoded = decodeURIComponent(raw);
          } catch {}
          const valid = decoded !== undefined && isValidId(decoded);
          expect(send.called).to.equal(valid);
          if (!valid) expect(response.statusCode).to.equal(400);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** Decimal strings DynamoDB accepts: up to 38 significant digits, optional fraction and exponent. */
const dynamoNumbers = fc
  .tuple(
    fc.constantFrom('', '-'),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 38 }),
    fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 10 }), {
      nil: undefined,
    }),
    fc.option(fc.integer({ min: -100, max: 100 }), { nil: undefined }),
  )
  .map(
    ([sign, int, frac, exp]) => `${sign}${int}${frac ? `.${frac}` : ''}${exp === undefined ? '' : `E${exp}`}`,
  );

/** Attribute names from the whole string space, and the names that are special to JavaScript objects. */
const attributeNames = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'),
);
const base64 = fc.uint8Array({ maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('base64'));

/** Values as DynamoDB's JSON protocol sends them: numbers as decimal strings, binary as base64. */
const { value: attributeValues } = fc.letrec<{ value: WireValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'binary' }).map((S) => ({ S })),
    dynamoNumbers.map((N) => ({ N })),
    base64.map((B) => ({ B })),
    fc.boolean().map((BOOL) => ({ BOOL })),
    fc.constant({ NULL: true }),
    fc.array(tie('value'), { maxLength: 4 }).map((L) => ({ L })),
    fc.dictionary(attributeNames, tie('value'), { maxKeys: 4 }).map((M) => ({ M })),
    fc.uniqueArray(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 }).map((SS) => ({ SS })),
    fc.uniqueArray(dynamoNumbers, { minLength: 1, maxLength: 4 }).map((NS) => ({ NS })),
    fc.uniqueArray(base64, { minLength: 1, maxLength: 3 }).map((BS) => ({ BS })),
  ),
}));
const items = fc.dictionary(attributeNames, attributeValues, { maxKeys: 6 });

/** The exact value of a decimal string, as (sign, digits, exponent) with no redundant zeros. */
function canonicalDecimal(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, int = '', frac = '', exp = '0'] = match;
  let digits = `${int}${frac}`.replace(/^0+/, '');
  let exponent = Number(exp) - frac.length;
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exponent++;
  }
  return `${sign === '-' ? '-' : ''}${digits}e${exponent}`;
}

/** What a faithful rendering must parse back to, with numbers compared by exact value. */
function expected(value: WireValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return { number: canonicalDecimal(value.N) };
  if (value.B !== undefined) return value.B;
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(expected);
  if (value.M !== undefined) return ownEntries(Object.entries(value.M).map(([k, v]) => [k, expected(v)]));
  if (value.SS !== undefined) return value.SS;
  if (value.NS !== undefined) return value.NS.map((n) => ({ number: canonicalDecimal(n) }));
  if (value.BS !== undefined) return value.BS;
  throw new Error('unknown type');
}

function parsedBack(value: unknown): unknown {
  if (isLosslessNumber(value)) return { number: canonicalDecimal(value.value) };
  if (Array.isArray(value)) return value.map(parsedBack);
  if (value !== null && typeof value === 'object') {
    return ownEntries(Object.entries(value).map(([k, v]) => [k, parsedBack(v)]));
  }
  return value;
}

/** Object.fromEntries, except that `__proto__` stays an ordinary key on both sides of the comparison. */
function ownEntries(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, value] of entries) out[key] = value;
  return out;
}

describe('property: arbitrary DynamoDB items', function () {
  this.timeout(120_000);

  it(`round-trip from DynamoDB's wire JSON to the response exactly: every attribute, every digit, sets as arrays, binary as base64 (${RUNS} runs)`, async () => {
    const { send, invoke } = stubbedHandler();
    await fc.assert(
      fc.asyncProperty(items, async (item: WireItem) => {
        send.resolves(foundOutput(item));
        const response = await invoke(eventForId('x'));
        expect(response.statusCode).to.equal(200);
        expect(parsedBack(parse(response.body))).to.deep.equal(expected({ M: item }));
      }),
      { numRuns: RUNS },
    );
  });
});

/** What Lambda would count for a 200 carrying this body: the handler's headers, with an ETag of fixed length. */
function plainResultBytes(body: string): number {
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    ETag: `"${'x'.repeat(43)}"`,
    'Cache-Control': 'no-cache',
  };
  return proxyResultBytes({ statusCode: 200, headers, body });
}

describe("property: items around Lambda's response limit", function () {
  this.timeout(120_000);
  const SIZE_RUNS = Math.max(10, Math.round(RUNS / 100));
  // Each unit's bytes in the serialised result: escaped by the body, then again by the result.
  const units = fc.constantFrom(
    { unit: 'a', bytes: 1 },
    { unit: '"', bytes: 4 },
    { unit: '\\', bytes: 4 },
    { unit: '\u0001', bytes: 7 },
    { unit: '\n', bytes: 3 },
    { unit: 'é', bytes: 2 },
    { unit: '\u2028', bytes: 3 },
    { unit: '😀', bytes: 4 },
  );

  it(`never returns a result Lambda cannot deliver: a 200 within the limit, or the JSON 500 when the 200 would not fit (${SIZE_RUNS} runs)`, async () => {
    const { send, invoke } = stubbedHandler();
    const outcomes = new Set<boolean>();
    await fc.assert(
      fc.asyncProperty(
        units,
        fc.integer({ min: -40, max: 40 }),
        items,
        async ({ unit, bytes }, offset, extra) => {
          // Enough units to land within a few of them of the limit, on either side.
          const base = plainResultBytes(renderItem({ ...extra, big: { S: '' } }));
          const count = Math.max(0, Math.floor((LAMBDA_LIMITS.responseBytes - base) / bytes) + offset);
          const item = { ...extra, big: { S: unit.repeat(count) } };
          outcomes.add(base + count * bytes <= LAMBDA_LIMITS.responseBytes);
          send.resolves(foundOutput(item));
          const response = await invoke(eventForId('x'));
          const wouldBe = plainResultBytes(renderItem(item));
          if (response.statusCode === 200) {
            expect(proxyResultBytes(response)).to.equal(wouldBe);
            expect(wouldBe).to.be.at.most(LAMBDA_LIMITS.responseBytes);
          } else {
            expect(response.statusCode).to.equal(500);
            expect(JSON.parse(response.body).message).to.equal('The item is too large to return');
            expect(wouldBe).to.be.above(LAMBDA_LIMITS.responseBytes);
          }
        },
      ),
      { numRuns: SIZE_RUNS },
    );
    expect([...outcomes].sort(), 'runs on both sides of the limit').to.deep.equal([false, true]);
  });
});
