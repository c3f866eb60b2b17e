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
