import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError } from './errors';
import { MAX_ID_BYTES } from './key-schema';

/** Unicode general category Cc: C0 controls, DEL and C1 controls. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Turns the raw `{id}` path parameter into the item id, or throws BadRequestError.
 * API Gateway REST passes path parameters still percent-encoded, so decoding happens here, once:
 * `a%2Fb` is the id `a/b`, and `%25` is a literal percent sign.
 */
export function parseItemId(event: Pick<APIGatewayProxyEvent, 'pathParameters'>): string {
  const raw = event.pathParameters?.id;
  if (typeof raw !== 'string' || raw === '') throw new BadRequestError('The item id is missing');

  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw new BadRequestError('The item id is not valid percent-encoded UTF-8');
  }

  if (id === '') throw new BadRequestError('The item id is empty');
  // A lone surrogate cannot be encoded as UTF-8, so it could never match a stored key.
  if (!id.isWellFormed()) throw new BadRequestError('The item id is not valid Unicode');
  if (CONTROL_CHARACTER.test(id)) throw new BadRequestError('The item id contains a control character');
  // Cheap bound first: every UTF-16 code unit needs at least one UTF-8 byte.
  if (id.length > MAX_ID_BYTES || Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) {
    throw new BadRequestError(`The item id is longer than ${MAX_ID_BYTES} bytes of UTF-8`);
  }
  return id;
}
