/**
 * The table's key schema: the one definition shared by the handler, the local stack and the
 * cdktf table construct, so the three cannot drift apart.
 */
export const ITEM_KEY_SCHEMA = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
} as const;

/** DynamoDB's caps on a key attribute, in bytes of UTF-8. */
export const KEY_ATTRIBUTE_BYTES = { partitionKey: 2048, sortKey: 1024 } as const;

/** The id is stored in both key attributes, so the stricter cap applies. */
export const MAX_ID_BYTES = Math.min(KEY_ATTRIBUTE_BYTES.partitionKey, KEY_ATTRIBUTE_BYTES.sortKey);

/** The primary key of the item with this id: pk = sk = id. */
export function itemKey(id: string): Record<string, { S: string }> {
  return {
    [ITEM_KEY_SCHEMA.partitionKey.name]: { S: id },
    [ITEM_KEY_SCHEMA.sortKey.name]: { S: id },
  };
}

/** Unicode general category Cc: C0 controls, DEL and C1 controls. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Why the API could never serve an id: the reason follows "The item id"; the detail says where. */
export interface IdProblem {
  readonly reason: string;
  readonly detail: string;
  /** Where the limit comes from, when it is DynamoDB's. */
  readonly limit?: string;
}

/** The first lone surrogate in a string, as "a lone surrogate, U+D800 at character 1"; undefined when it has none. */
export function loneSurrogate(text: string): string | undefined {
  if (text.isWellFormed()) return undefined;
  const at = [...text].findIndex((character) => !character.isWellFormed());
  return `a lone surrogate, ${codePoint(text, at)}`;
}

/**
 * The one rule for "an id the API can serve", used by the handler (which answers 400) and the seed
 * (which refuses to write an item nobody could read). Undefined when the id is servable.
 */
export function idProblem(id: string): IdProblem | undefined {
  if (id === '') return { reason: 'is empty', detail: '' };
  // A lone surrogate cannot be encoded as UTF-8: DynamoDB stores U+FFFD instead, so the stored key
  // matches no request, and two such ids collide.
  const surrogate = loneSurrogate(id);
  if (surrogate !== undefined) return { reason: 'is not valid Unicode', detail: surrogate };
  const control = CONTROL_CHARACTER.exec(id);
  if (control !== null) {
    return {
      reason: 'contains a control character',
      detail: codePoint(id, [...id.slice(0, control.index)].length),
    };
  }
  // Cheap bound first: every UTF-16 code unit needs at least one UTF-8 byte.
  if (id.length > MAX_ID_BYTES || Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) {
    return {
      reason: `is longer than ${MAX_ID_BYTES} bytes of UTF-8`,
      detail: `${Buffer.byteLength(id, 'utf8')} bytes`,
      limit: `the id is both pk and sk, and DynamoDB keeps sort keys to ${MAX_ID_BYTES} bytes`,
    };
  }
  return undefined;
}

/** `U+0001 at character 3`, counting characters (code points) from 1. */
function codePoint(id: string, index: number): string {
  const character = [...id][index] as string;
  const hex = (character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} at character ${index + 1}`;
}
