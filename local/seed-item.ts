import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { isLosslessNumber, stringify } from 'lossless-json';
import { ITEM_KEY_SCHEMA, idProblem, loneSurrogate } from '#handler/src/key-schema';
import { inQuotes } from '#shared/quoted';
import { DYNAMODB_ITEM_LIMITS, itemSize, nestingDepth, numberProblem } from './dynamodb-item-limits';

export type Item = Record<string, AttributeValue>;

/**
 * One element of a seed file as a DynamoDB item, with every problem that would keep it from being
 * written as it is or read back through the API: an id the API cannot serve (the handler's own
 * rule), an "sk" other than the id, strings that are not well-formed Unicode, and DynamoDB's limits
 * on item size, numbers and nesting. The item is stored at pk = sk = id, the key the API reads.
 */
export function toSeedItem(value: unknown): { item?: Item; id?: string; problems: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: ['is not a JSON object'] };
  }
  const { partitionKey, sortKey } = ITEM_KEY_SCHEMA;
  const record = value as Record<string, unknown>;
  const id = record[partitionKey.name];
  if (typeof id !== 'string' || id === '') {
    return { problems: [`needs a non-empty string "${partitionKey.name}", its id`] };
  }
  const problems: string[] = [];
  const servable = idProblem(id);
  if (servable !== undefined) {
    const limit = servable.limit === undefined ? '' : ` (${servable.limit})`;
    problems.push(
      `the id ${servable.reason} (${servable.detail}): the API answers 400 for such an id, so this item could never be read${limit}`,
    );
  }
  if (Object.hasOwn(record, sortKey.name) && record[sortKey.name] !== id) {
    problems.push(
      `"${sortKey.name}" is ${stringify(record[sortKey.name])}, but the API reads each item at ` +
        `${partitionKey.name} = ${sortKey.name} = id, so it could never serve this one; leave "${sortKey.name}" out`,
    );
  }
  const item: Item = toAttributeMap({ ...record, [sortKey.name]: id }, problems, '');
  if (problems.length === 0) {
    const { itemBytes, nestingLevels } = DYNAMODB_ITEM_LIMITS;
    const size = itemSize(item);
    if (size > itemBytes)
      problems.push(`is ${size} bytes as DynamoDB counts them; DynamoDB allows ${itemBytes}`);
    const depth = Math.max(0, ...Object.values(item).map(nestingDepth));
    if (depth > nestingLevels) problems.push(`nests ${depth} levels deep; DynamoDB allows ${nestingLevels}`);
  }
  return { item, id, problems };
}

/** Plain JSON to an attribute value; problems found on the way are collected with their path. */
function toAttributeValue(value: unknown, problems: string[], path: string): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') {
    // The id's own attributes are checked by the id rule above.
    const isKey = path === ITEM_KEY_SCHEMA.partitionKey.name || path === ITEM_KEY_SCHEMA.sortKey.name;
    const surrogate = isKey ? undefined : loneSurrogate(value);
    if (surrogate !== undefined) problems.push(`the string at ${path} ${notUnicode(surrogate)}`);
    return { S: value };
  }
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

/** DynamoDB keeps strings as UTF-8, which cannot encode a lone surrogate: it stores U+FFFD instead. */
const notUnicode = (surrogate: string) =>
  `is not valid Unicode (${surrogate}): DynamoDB would store U+FFFD in its place`;

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
      const surrogate = loneSurrogate(key);
      if (surrogate !== undefined)
        problems.push(`the attribute name at ${inQuotes(here)} ${notUnicode(surrogate)}`);
      return [key, toAttributeValue(value, problems, here)];
    }),
  );
}
