import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HANDLER_BUNDLE } from '../../scripts/lib/paths';

/**
 * Copies the shipped bundle into an empty folder, so nothing can be resolved from node_modules:
 * what loads there is what loads on Lambda.
 */
export function isolatedBundle(): { bundle: string; cleanup: () => void } {
  if (!existsSync(HANDLER_BUNDLE))
    throw new Error(`${HANDLER_BUNDLE} is missing: run npm run build (npm test does)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'item-api-bundle-'));
  const bundle = path.join(dir, path.basename(HANDLER_BUNDLE));
  copyFileSync(HANDLER_BUNDLE, bundle);
  return { bundle, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
