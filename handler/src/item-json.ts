import { InternalError } from './errors';
import type { WireItem, WireValue } from './wire-item';

/**
 * Renders a DynamoDB item, as DynamoDB sent it, as JSON text. It writes the text itself instead of
 * going through JSON.stringify on JS values, because a DynamoDB number holds up to 38 significant
 * digits and a JS number about 16: N values are copied digit for digit into the output.
 *
 * Every attribute is rendered, whatever its name (`__proto__` included): the item comes from
 * JSON.parse, which makes every name an own property. Map keys are sorted so equal items always
 * render to equal bytes, which keeps the ETag stable.
 */
export function renderItem(item: WireItem): string {
  return renderMap(item);
}

function renderValue(value: WireValue): string {
  if (typeof value !== 'object' || value === null) {
    throw new InternalError('DynamoDB returned an attribute value that is not an object');
  }
  if (value.S !== undefined) return JSON.stringify(value.S);
  if (value.N !== undefined) return jsonNumber(value.N);
  if (value.BOOL !== undefined) return value.BOOL ? 'true' : 'false';
  if (value.NULL !== undefined) return 'null';
  if (value.M !== undefined) return renderMap(value.M);
  if (value.L !== undefined) return `[${value.L.map(renderValue).join(',')}]`;
  // Binary arrives as base64 text, which is what the response shows.
  if (value.B !== undefined) return JSON.stringify(value.B);
  if (value.SS !== undefined) return `[${value.SS.map((s) => JSON.stringify(s)).join(',')}]`;
  if (value.NS !== undefined) return `[${value.NS.map(jsonNumber).join(',')}]`;
  if (value.BS !== undefined) return `[${value.BS.map((b) => JSON.stringify(b)).join(',')}]`;
  throw new InternalError(`Unsupported DynamoDB attribute type: ${Object.keys(value).join(',')}`);
}

function renderMap(map: WireItem): string {
  const keys = Object.keys(map).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0) out += ',';
    out += `${JSON.stringify(key)}:${renderValue(map[key] as WireValue)}`;
  }
  return `${out}}`;
}

const DYNAMODB_NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Zeros a number may carry before or after its significant digits and still be written out in
 * full. DynamoDB returns numbers without an exponent (`1E+125` comes back as a 1 and 125 zeros), so
 * an item of a few hundred KB could render to many MB; beyond this many zeros the exponent form is
 * used instead. 20 keeps every integer a JS number prints in full (below 1e21) as it was.
 */
export const MAX_PADDING_ZEROS = 20;

/**
 * Rewrites a DynamoDB number string as a JSON number with the same exact value and every
 * significant digit. DynamoDB and local emulators may return forms JSON does not allow (`+1`, `.5`,
 * `5.`, `007`), so the sign, leading zeros and empty parts are normalised; the digits are kept as
 * they are, except that a number padded with more than MAX_PADDING_ZEROS zeros is written in
 * exponent form (`1e+125`, `-1.5e-130`).
 */
export function jsonNumber(text: string): string {
  const match = DYNAMODB_NUMBER.exec(text);
  const [, sign = '', integer = '', fraction = '', exponent] = match ?? [];
  if (!match || (integer === '' && fraction === '')) {
    throw new InternalError(`DynamoDB returned a number that is not a number: ${JSON.stringify(text)}`);
  }
  const minus = sign === '-' ? '-' : '';
  const digits = integer + fraction;
  const first = digits.search(/[1-9]/);
  const last = first === -1 ? -1 : lastNonZero(digits);
  const paddingZeros = first === -1 ? digits.length : first + (digits.length - 1 - last);
  if (paddingZeros > MAX_PADDING_ZEROS) {
    if (first === -1) return `${minus}0`;
    const significant = digits.slice(first, last + 1);
    // The place value of the first significant digit.
    const power = BigInt(exponent ?? 0) + BigInt(integer.length - 1 - first);
    const mantissa = significant.length > 1 ? `${significant[0]}.${significant.slice(1)}` : significant;
    return `${minus}${mantissa}e${power < 0n ? '' : '+'}${power}`;
  }
  let out = minus + (integer.replace(/^0+(?=\d)/, '') || '0');
  if (fraction !== '') out += `.${fraction}`;
  if (exponent !== undefined) out += `e${exponent}`;
  return out;
}

function lastNonZero(digits: string): number {
  let i = digits.length - 1;
  while (digits[i] === '0') i--;
  return i;
}
