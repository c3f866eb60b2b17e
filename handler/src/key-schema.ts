/**
 * The table's key schema: the one definition shared by the handler, the local stack and the
 * cdktf table construct, so the three cannot drift apart.
 */
export const ITEM_KEY_SCHEMA = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
} as const;

/**
 * DynamoDB caps a partition key at 2,048 bytes and a sort key at 1,024 bytes of UTF-8.
 * The id is stored in both, so the stricter sort key limit applies.
 */
export const MAX_ID_BYTES = 1024;

/** The primary key of the item with this id: pk = sk = id. */
export function itemKey(id: string): Record<string, { S: string }> {
  return {
    [ITEM_KEY_SCHEMA.partitionKey.name]: { S: id },
    [ITEM_KEY_SCHEMA.sortKey.name]: { S: id },
  };
}
