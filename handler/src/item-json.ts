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
 * Rewrites a DynamoDB number string as a JSON number without touching its digits: DynamoDB and
 * local emulators may return forms JSON does not allow (`+1`, `.5`, `5.`, `007`), so the sign,
 * leading zeros and empty parts are normalised, and the significant digits are kept as they are.
 */
export function jsonNumber(text: string): string {
  const match = DYNAMODB_NUMBER.exec(text);
  const [, sign = '', integer = '', fraction = '', exponent] = match ?? [];
  if (!match || (integer === '' && fraction === '')) {
    throw new InternalError(`DynamoDB returned a number that is not a number: ${JSON.stringify(text)}`);
  }
  let out = sign === '-' ? '-' : '';
  out += integer.replace(/^0+(?=\d)/, '') || '0';
  if (fraction !== '') out += `.${fraction}`;
  if (exponent !== undefined) out += `e${exponent}`;
  return out;
}
