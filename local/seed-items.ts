import { readFileSync } from 'node:fs';
import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isLosslessNumber, parse } from 'lossless-json';
import { ITEM_KEY_SCHEMA } from '#handler/src/key-schema';
import {
  DYNAMODB_ITEM_LIMITS,
  itemSize,
  nestingDepth,
  numberProblem,
  utf8Bytes,
} from './dynamodb-item-limits';

type Item = Record<string, AttributeValue>;

/** One item of a seed file, with what its error messages name it by. */
export interface SeedItem {
  /** Its position in the file's array, from 0. */
  readonly index: number;
  readonly id: string;
  readonly item: Item;
}

/** A seed file that cannot be written as a whole; nothing was written. */
export class SeedFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : '';
    super(`${file}: ${problems.length} problem(s), nothing written:\n  ${shown.join('\n  ')}${more}`);
    this.name = 'SeedFileError';
  }
}

/**
 * Reads a JSON array of plain objects into DynamoDB items and checks every one of them against
 * DynamoDB's limits before anything is written: key sizes, item size, number digits and range,
 * nesting, duplicate keys. Numbers are parsed losslessly, so a 38-digit value reaches DynamoDB
 * with every digit. An object without `sk` gets sk = pk, the key shape the API reads.
 * Throws SeedFileError naming the index and id of every item at fault.
 */
export function readSeedFile(file: string): SeedItem[] {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SeedFileError(file, [
      `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  if (!Array.isArray(parsed)) throw new SeedFileError(file, ['expected a JSON array of items']);

  const problems: string[] = [];
  const items: SeedItem[] = [];
  const firstIndexOfKey = new Map<string, number>();
  parsed.forEach((value, index) => {
    const { item, id, problems: found } = toSeedItem(value);
    const label = id === undefined ? `item ${index}` : `item ${index} (id ${JSON.stringify(id)})`;
    problems.push(...found.map((problem) => `${label}: ${problem}`));
    if (!item || id === undefined || found.length > 0) return;
    const key = JSON.stringify([
      item[ITEM_KEY_SCHEMA.partitionKey.name]?.S,
      item[ITEM_KEY_SCHEMA.sortKey.name]?.S,
    ]);
    const earlier = firstIndexOfKey.get(key);
    if (earlier !== undefined) problems.push(`${label}: has the same key as item ${earlier}`);
    else firstIndexOfKey.set(key, index);
    items.push({ index, id, item });
  });
  if (problems.length > 0) throw new SeedFileError(file, problems);
  return items;
}

function toSeedItem(value: unknown): { item?: Item; id?: string; problems: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: ['is not a JSON object'] };
  }
  const { partitionKey, sortKey } = ITEM_KEY_SCHEMA;
  const record = value as Record<string, unknown>;
  const pk = record[partitionKey.name];
  if (typeof pk !== 'string' || pk === '') {
    return { problems: [`needs a non-empty string "${partitionKey.name}"`] };
  }
  const sk = Object.hasOwn(record, sortKey.name) ? record[sortKey.name] : pk;
  if (typeof sk !== 'string' || sk === '') {
    return { id: pk, problems: [`"${sortKey.name}" must be a non-empty string when given`] };
  }
  const problems: string[] = [];
  const item: Item = toAttributeMap({ ...record, [sortKey.name]: sk }, problems, '');
  const { partitionKeyBytes, sortKeyBytes, itemBytes, nestingLevels } = DYNAMODB_ITEM_LIMITS;
  if (utf8Bytes(pk) > partitionKeyBytes) {
    problems.push(
      `"${partitionKey.name}" is ${utf8Bytes(pk)} bytes of UTF-8; DynamoDB allows ${partitionKeyBytes}`,
    );
  }
  if (utf8Bytes(sk) > sortKeyBytes) {
    problems.push(`"${sortKey.name}" is ${utf8Bytes(sk)} bytes of UTF-8; DynamoDB allows ${sortKeyBytes}`);
  }
  if (problems.length === 0) {
    const size = itemSize(item);
    if (size > itemBytes)
      problems.push(`is ${size} bytes as DynamoDB counts them; DynamoDB allows ${itemBytes}`);
    const depth = Math.max(0, ...Object.values(item).map(nestingDepth));
    if (depth > nestingLevels) problems.push(`nests ${depth} levels deep; DynamoDB allows ${nestingLevels}`);
  }
  return { item, id: pk, problems };
}

/** Plain JSON to an attribute value; problems found on the way are collected with their path. */
function toAttributeValue(value: unknown, problems: string[], path: string): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (isLosslessNumber(value) || typeof value === 'number') {
    const text = isLosslessNumber(value) ? value.value : String(value);
    const problem = numberProblem(text);
    if (problem) problems.push(`the number at ${path} (${text}) ${problem}`);
    return { N: text };
  }
  if (Array.isArray(value))
    return { L: value.map((element, i) => toAttributeValue(element, problems, `${path}[${i}]`)) };
  if (typeof value === 'object')
    return { M: toAttributeMap(value as Record<string, unknown>, problems, path) };
  throw new Error(`cannot store a ${typeof value} in DynamoDB`);
}

/** The attribute name JavaScript objects treat as their prototype. */
const PROTOTYPE_NAME = '__proto__';
const PROTOTYPE_NAME_REFUSED = (path: string) =>
  `has an attribute named ${PROTOTYPE_NAME} (${path}): DynamoDB accepts the name, but dynalite (the local ` +
  'DynamoDB) drops or rejects it, so this script refuses it rather than lose it; write such an item with the AWS CLI';

function toAttributeMap(record: Record<string, unknown>, problems: string[], path: string): Item {
  // Object.fromEntries creates own properties, so a name such as __proto__ stays an attribute.
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => {
      const here = path === '' ? key : `${path}.${key}`;
      if (key === '' && path === '') problems.push('has an attribute with an empty name');
      if (key === PROTOTYPE_NAME) problems.push(PROTOTYPE_NAME_REFUSED(here));
      return [key, toAttributeValue(value, problems, here)];
    }),
  );
}

/** BatchWriteItem takes 25 items a call; unprocessed items are retried with back-off. Returns how many were written. */
export async function writeItems(client: DynamoDBClient, tableName: string, items: readonly SeedItem[]) {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map(({ item }) => ({ PutRequest: { Item: item } }));
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
  // Every item of a validated file has a distinct key.
  return items.length;
}

/** Validates the whole file, then writes it; returns the number of distinct items written. */
export async function seedFromFile(client: DynamoDBClient, tableName: string, file: string): Promise<number> {
  return writeItems(client, tableName, readSeedFile(file));
}
