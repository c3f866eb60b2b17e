import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB's write-time limits, checked before anything is written: dynalite (the local DynamoDB)
 * enforces few of them, and a limit found by DynamoDB half-way through a seed leaves the earlier
 * batches written. Key sizes are the id rule's (`idProblem` in handler/src/key-schema.ts), since
 * every item's key is pk = sk = id.
 */
export const DYNAMODB_ITEM_LIMITS = {
  itemBytes: 400 * 1024,
  numberDigits: 38,
  /** A number's magnitude lies within 1E-130 and 9.99…E+125. */
  minExponent: -130,
  maxExponent: 125,
  nestingLevels: 32,
} as const;

type Item = Record<string, AttributeValue>;

/**
 * An item's size the way DynamoDB counts it against the 400 KB limit: attribute names and strings
 * in UTF-8 bytes, binary in bytes, a number about one byte per two significant digits plus one,
 * booleans and nulls one byte, and lists and maps 3 bytes plus one byte per element. The number
 * and container formulas are the ones dynalite matched against DynamoDB, with strings counted in
 * UTF-8 (DynamoDB's unit) where dynalite counts UTF-16 code units.
 */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8Bytes(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8Bytes(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + valueSize(element), 0);
  if (value.M !== undefined) return 3 + Object.keys(value.M).length + itemSize(value.M);
  throw new Error(`unknown attribute type ${Object.keys(value).join(',')}`);
}

function numberSize(text: string): number {
  const { digits, exponent, negative } = decimalParts(text);
  if (digits === '') return 1;
  const magnitude = exponent + digits.length - 1;
  const evenPadding = digits.length % 2 === 0 && magnitude % 2 === 0 ? 1 : 0;
  return 1 + Math.ceil(digits.length / 2) + evenPadding + (negative ? 1 : 0);
}

/** Why DynamoDB would refuse this number, or undefined when it accepts it. */
export function numberProblem(text: string): string | undefined {
  const parts = decimalParts(text);
  if (parts.digits === '') return undefined;
  const { numberDigits, minExponent, maxExponent } = DYNAMODB_ITEM_LIMITS;
  if (parts.digits.length > numberDigits) {
    return `has ${parts.digits.length} significant digits; DynamoDB keeps at most ${numberDigits}`;
  }
  // The place value of the first significant digit, as in 1.23E+125.
  const magnitude = parts.exponent + parts.digits.length - 1;
  if (magnitude > maxExponent) return `is larger than DynamoDB allows (at most 9.99…E+${maxExponent})`;
  if (magnitude < minExponent) return `is closer to zero than DynamoDB allows (at least 1E${minExponent})`;
  return undefined;
}

/**
 * A decimal string as its significant digits (no leading or trailing zeros) and the power of ten of
 * the last of them: 120.5 is "1205" and -1.
 */
function decimalParts(text: string): { digits: string; exponent: number; negative: boolean } {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new Error(`not a decimal number: ${text}`);
  const [, sign, integer = '', fraction = '', exp = '0'] = match;
  const all = integer + fraction;
  const first = all.search(/[1-9]/);
  if (first === -1) return { digits: '', exponent: 0, negative: false };
  let last = all.length - 1;
  while (all[last] === '0') last--;
  return {
    digits: all.slice(first, last + 1),
    exponent: Number(exp) - fraction.length + (all.length - 1 - last),
    negative: sign === '-',
  };
}

/** How deep the deepest list or map nests, counting the item's own attributes as level 0. */
export function nestingDepth(value: AttributeValue): number {
  const children = value.L ?? (value.M ? Object.values(value.M) : undefined);
  if (!children) return 0;
  return 1 + children.reduce((deepest, child) => Math.max(deepest, nestingDepth(child)), 0);
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
