import { readFileSync } from 'node:fs';
import { parse } from 'lossless-json';
import { DYNAMODB_ITEM_LIMITS } from './dynamodb-item-limits';

/** Seed files that cannot be written as a whole; nothing was written. Problems are listed per file. */
export class SeedFileError extends Error {
  constructor(readonly problems: ReadonlyMap<string, readonly string[]>) {
    const blocks = [...problems].map(([file, found]) => {
      const shown = found.slice(0, 20);
      const more = found.length > shown.length ? `\n  ... and ${found.length - shown.length} more` : '';
      return `${file}: ${found.length} problem(s):\n  ${shown.join('\n  ')}${more}`;
    });
    super(`${blocks.join('\n')}\nnothing written`);
    this.name = 'SeedFileError';
  }

  static of(file: string, problems: readonly string[]): SeedFileError {
    return new SeedFileError(new Map([[file, problems]]));
  }
}

/**
 * Byte order marks, refused by name: JSON exchanged between systems is UTF-8 without one (RFC 8259
 * §8.1), and a parser that meets one reports an invisible character. UTF-32's marks start with
 * UTF-16's, so they are reported as UTF-16.
 */
const BYTE_ORDER_MARKS = [
  {
    bytes: [0xef, 0xbb, 0xbf],
    says: 'a UTF-8 byte order mark (EF BB BF); save the file as UTF-8 without one',
  },
  {
    bytes: [0xff, 0xfe],
    says: 'a UTF-16 little-endian byte order mark (FF FE): it is UTF-16; save it as UTF-8',
  },
  {
    bytes: [0xfe, 0xff],
    says: 'a UTF-16 big-endian byte order mark (FE FF): it is UTF-16; save it as UTF-8',
  },
];

/**
 * How deep the parser may go. lossless-json recurses once per level, so an adversarial file (100,000
 * nested arrays) would overflow the stack; anything this deep is far past DynamoDB's 32 levels anyway.
 */
const PARSE_DEPTH_LIMIT = 512;

/**
 * The JSON value of a seed file, read strictly: UTF-8 without a byte order mark, no NUL bytes, and
 * not nested past what can be parsed. Throws SeedFileError naming the file and, for bad bytes,
 * the byte offset and line.
 */
export function readJsonFile(file: string): unknown {
  const text = decode(file, readBytes(file));
  if (text.trim() === '') throw SeedFileError.of(file, ['is empty; expected a JSON array of items']);
  const tooDeep = deepItems(text);
  if (tooDeep.length > 0) throw SeedFileError.of(file, tooDeep);
  try {
    return parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` (${lineOf(text.slice(0, Number(position[1])))})` : '';
    throw SeedFileError.of(file, [`is not valid JSON: ${message}${where}`]);
  }
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw SeedFileError.of(file, [`cannot be read: ${why}`]);
  }
}

function decode(file: string, bytes: Buffer): string {
  const mark = BYTE_ORDER_MARKS.find((bom) => bom.bytes.every((byte, i) => bytes[i] === byte));
  if (mark !== undefined) throw SeedFileError.of(file, [`starts with ${mark.says} (RFC 8259 §8.1)`]);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidByte(bytes);
    const byte = `0x${(bytes[offset] as number).toString(16).toUpperCase().padStart(2, '0')}`;
    throw SeedFileError.of(file, [
      `is not UTF-8: byte ${byte} at byte offset ${offset} (${lineOf(bytes.subarray(0, offset).toString('utf8'))}) ` +
        'is not valid UTF-8, and JSON files must be UTF-8 (RFC 8259 §8.1). Nothing was read past it. ' +
        'If the file is Latin-1 or Windows-1252, convert it: iconv -f WINDOWS-1252 -t UTF-8 in.json > out.json',
    ]);
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const offset = Buffer.byteLength(text.slice(0, nul), 'utf8');
    throw SeedFileError.of(file, [
      `has a NUL byte at byte offset ${offset} (${lineOf(text.slice(0, nul))}), which JSON text never holds: is it UTF-16? Save it as UTF-8`,
    ]);
  }
  return text;
}

/**
 * The offset of the first byte that is not valid UTF-8. The lenient decoder puts one U+FFFD in
 * place of each bad sequence, and everything before it decoded as it was written, so the offset is
 * the UTF-8 length of what precedes the first U+FFFD the file did not itself spell (EF BF BD).
 */
function firstInvalidByte(bytes: Buffer): number {
  let offset = 0;
  for (const character of new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)) {
    const spelled = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (character === '\uFFFD' && !spelled) return offset;
    offset += Buffer.byteLength(character, 'utf8');
  }
  return offset;
}

/** `line 3, column 7` of the position after `before`, counting from 1. */
function lineOf(before: string): string {
  const lines = before.split('\n');
  return `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

/**
 * Items nested deeper than the parser may go, found by scanning the text: `item 3: nests 100000
 * levels deep; DynamoDB allows 32`. Counts levels the way the item check does: an item's own
 * attributes are level 0.
 */
function deepItems(text: string): string[] {
  const deepest = new Map<number, number>();
  let depth = 0;
  let item = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth > 2) deepest.set(item, Math.max(deepest.get(item) ?? 0, depth - 2));
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) item++;
  }
  const { nestingLevels } = DYNAMODB_ITEM_LIMITS;
  const tooDeep = [...deepest].filter(([, levels]) => levels > PARSE_DEPTH_LIMIT);
  return tooDeep.map(
    ([index, levels]) => `item ${index}: nests ${levels} levels deep; DynamoDB allows ${nestingLevels}`,
  );
}
