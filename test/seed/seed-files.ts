import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Items k0, k1, ... with a little of every JSON type. */
export function items(count: number, prefix = 'k'): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    pk: `${prefix}${i}`,
    n: i,
    tags: ['a', i],
    on: i % 2 === 0,
    none: null,
  }));
}

/** A folder of seed files for one suite; `file` writes text, bytes or a value as JSON. */
export function seedFolder(prefix: string) {
  let dir = '';
  let count = 0;
  return {
    create: () => {
      dir = mkdtempSync(path.join(tmpdir(), prefix));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
    path: (name: string) => path.join(dir, name),
    file(content: unknown, name = `seed-${count++}.json`): string {
      const file = path.join(dir, name);
      const data =
        typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content);
      writeFileSync(file, data);
      return file;
    },
  };
}
