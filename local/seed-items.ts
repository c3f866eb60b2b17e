import { realpathSync } from 'node:fs';
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inQuotes } from '#shared/quoted';
import { readJsonFile, SeedFileError } from './seed-file';
import { type Item, toSeedItem } from './seed-item';

export { SeedFileError } from './seed-file';

/** One item of a seed file, with what its error messages name it by. */
export interface SeedItem {
  readonly file: string;
  /** Its position in the file's array, from 0. */
  readonly index: number;
  readonly id: string;
  readonly item: Item;
}

/**
 * Reads seed files, each a JSON array of plain objects, into DynamoDB items, and checks every one
 * of them before anything is written: ids the API can serve (the handler's own rule), strings that
 * are well-formed Unicode, item size, number digits and range, nesting, and ids given twice,
 * within a file or across files. Numbers are parsed losslessly, so a 38-digit value reaches
 * DynamoDB with every digit; each item is stored at pk = sk = id, the key the API reads.
 * Throws SeedFileError naming the file, the index and id of every item at fault, and the limit.
 */
export function readSeedFiles(files: readonly string[]): SeedItem[] {
  const problems = new Map<string, string[]>();
  const add = (file: string, problem: string) => problems.set(file, [...(problems.get(file) ?? []), problem]);
  const seen = new Map<string, string>();
  for (const file of files) {
    const real = realPath(file);
    const earlier = seen.get(real);
    if (earlier !== undefined) add(file, `is the same file as ${earlier}, named twice`);
    seen.set(real, file);
  }
  if (problems.size > 0) throw new SeedFileError(problems);

  const items: SeedItem[] = [];
  const firstOfId = new Map<string, SeedItem>();
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = readJsonFile(file);
    } catch (error) {
      if (!(error instanceof SeedFileError)) throw error;
      for (const [name, found] of error.problems) for (const problem of found) add(name, problem);
      continue;
    }
    if (!Array.isArray(parsed)) {
      add(file, 'is not a JSON array of items');
      continue;
    }
    parsed.forEach((value, index) => {
      const { item, id, problems: found } = toSeedItem(value);
      const label = id === undefined ? `item ${index}` : `item ${index} (id ${quote(id)})`;
      for (const problem of found) add(file, `${label}: ${problem}`);
      if (item === undefined || id === undefined || found.length > 0) return;
      const earlier = firstOfId.get(id);
      if (earlier === undefined) firstOfId.set(id, { file, index, id, item });
      else
        add(
          file,
          `${label}: has the same id as ${earlier.file === file ? '' : `${earlier.file} `}item ${earlier.index}`,
        );
      items.push({ file, index, id, item });
    });
  }
  if (problems.size > 0) throw new SeedFileError(problems);
  return items;
}

/** One file: `readSeedFiles([file])`. */
export function readSeedFile(file: string): SeedItem[] {
  return readSeedFiles([file]);
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file; // reading it will say what is wrong
  }
}

/** Ids in messages, cut when long: a 1,025-byte id would not fit on a line. */
const quote = (id: string) => inQuotes(id, { longerThan: 40, keep: 32 });

/** BatchWriteItem takes at most 25 put requests a call. */
const BATCH_SIZE = 25;

/** Unprocessed items are retried with back-off this many times before the run stops. */
const UNPROCESSED_RETRIES = 8;

/**
 * A write that failed part-way. It says how many items were already written, of how many, and that
 * running the same seed again is safe: every item is a PutItem, which replaces the whole item with
 * the same key, so a second run writes the same items again and ends in the same state.
 */
export class SeedWriteError extends Error {
  constructor(
    readonly tableName: string,
    readonly written: number,
    readonly total: number,
    override readonly cause: unknown,
  ) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const done =
      written === 0
        ? `nothing was written (0 of ${total} items)`
        : `${written} of ${total} items were written`;
    super(
      `writing to table "${tableName}" failed: ${why}\n` +
        `${done}. Running the same command again is safe: each item is put whole under its own key, ` +
        'so a second run writes the same items again and ends in the same state.',
    );
    this.name = 'SeedWriteError';
  }
}

/**
 * Writes the items in batches of 25, retrying unprocessed ones with back-off; the SDK retries
 * throttled calls itself. Returns how many items were written; throws SeedWriteError with the count
 * so far when a call fails for good.
 */
export async function writeItems(
  client: DynamoDBClient,
  tableName: string,
  items: readonly SeedItem[],
): Promise<number> {
  let written = 0;
  try {
    for (let start = 0; start < items.length; start += BATCH_SIZE) {
      let requests = items
        .slice(start, start + BATCH_SIZE)
        .map(({ item }) => ({ PutRequest: { Item: item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > UNPROCESSED_RETRIES) {
          throw new Error(
            `DynamoDB left ${requests.length} items unprocessed after ${UNPROCESSED_RETRIES} retries`,
          );
        }
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const output = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
        );
        const unprocessed = (output.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
          r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
        );
        written += requests.length - unprocessed.length;
        requests = unprocessed;
      }
    }
  } catch (error) {
    throw new SeedWriteError(tableName, written, items.length, error);
  }
  // Every item of validated files has a distinct id, so each write is a distinct item.
  return written;
}

/** Checks every file, then writes them all; returns the number of distinct items written. */
export async function seedFromFiles(
  client: DynamoDBClient,
  tableName: string,
  files: readonly string[],
): Promise<number> {
  return writeItems(client, tableName, readSeedFiles(files));
}

/** One file: the local stack seeds its sample items with this. */
export function seedFromFile(client: DynamoDBClient, tableName: string, file: string): Promise<number> {
  return seedFromFiles(client, tableName, [file]);
}
