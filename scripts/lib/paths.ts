import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const HANDLER_ENTRY = path.join(REPO_ROOT, 'handler', 'src', 'index.mts');
/** The folder the infrastructure zips and deploys; it holds only the bundle. */
export const HANDLER_DIST_DIR = path.join(REPO_ROOT, 'dist', 'handler');
export const HANDLER_BUNDLE = path.join(HANDLER_DIST_DIR, 'index.mjs');
export const BUILD_REPORT = path.join(REPO_ROOT, 'dist', 'handler-size.json');
