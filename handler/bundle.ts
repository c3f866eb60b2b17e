import path from 'node:path';

/**
 * The contract between the build, the infrastructure and everything that runs the bundle: where
 * the source starts, where the bundle lands and what Lambda calls in it. One place, so a rename
 * cannot leave the deployed function pointing at a file the build no longer writes.
 */
const HANDLER_ROOT = __dirname;

/** The handler's source entry point. */
export const HANDLER_SOURCE_ENTRY = path.join(HANDLER_ROOT, 'src', 'index.mts');

/** The folder the infrastructure zips and deploys; it holds only the bundle. */
export const HANDLER_DIST_DIR = path.join(HANDLER_ROOT, '..', 'dist', 'handler');

/** The bundle's entry file, inside HANDLER_DIST_DIR. */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

/** The bundle's exported function Lambda invokes. */
export const BUNDLE_HANDLER_EXPORT = 'handler';

/** Lambda's `handler` setting: the entry file without its extension, then the export. */
export const LAMBDA_HANDLER = `${path.parse(BUNDLE_ENTRY_FILE).name}.${BUNDLE_HANDLER_EXPORT}`;

export const HANDLER_BUNDLE = path.join(HANDLER_DIST_DIR, BUNDLE_ENTRY_FILE);

/** The build's size report, beside (not inside) the deployed folder. */
export const BUILD_REPORT = path.join(HANDLER_DIST_DIR, '..', 'handler-size.json');
