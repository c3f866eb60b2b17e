import { readFileSync } from 'node:fs';
import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isLosslessNumber, parse } from 'lossless-json';
import { ITEM_KEY_SCHEMA } from '../../handler/src/key-schema';

type Item = Record<string, AttributeValue>;

/**
 * Reads a JSON array of plain objects into DynamoDB items. Numbers are parsed losslessly, so a
 * 38-digit value reaches DynamoDB with every digit. An object without `sk` gets sk = pk, the key
 * shape the API reads.
 */
export function readSeedFile(file: string): Item[] {
  const parsed = parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected a JSON array of items`);
  const { partitionKey, sortKey } = ITEM_KEY_SCHEMA;
  return parsed.map((value, index) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error(`${file}: item ${index} is not a JSON object`);
    }
    const record = { ...(value as Record<string, unknown>) };
    if (typeof record[partitionKey.name] !== 'string' || record[partitionKey.name] === '') {
      throw new Error(`${file}: item ${index} needs a non-empty string "${partitionKey.name}"`);
    }
    record[sortKey.name] ??= record[partitionKey.name];
    return toAttributeMap(record);
  });
}

export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (isLosslessNumber(value)) return { N: value.value };
  if (typeof value === 'number') return { N: String(value) };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  if (typeof value === 'object') return { M: toAttributeMap(value as Record<string, unknown>) };
  throw new Error(`cannot store a ${typeof value} in DynamoDB`);
}

function toAttributeMap(record: Record<string, unknown>): Item {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, toAttributeValue(value)]));
}

/** BatchWriteItem takes 25 items a call; unprocessed items are retried with back-off. */
export async function writeItems(client: DynamoDBClient, tableName: string, items: Item[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`DynamoDB left ${requests.length} items unprocessed after retries`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const output = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (output.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
      );
    }
  }
}
