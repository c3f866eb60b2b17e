import path from 'node:path';

/** The repository root, for tools and tests that read files beside the code. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
