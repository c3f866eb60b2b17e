import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { LANE } from '#shared/toolchain';
import { HANDLER_BUNDLE, HANDLER_SOURCE_ENTRY } from './bundle';
import { requireBuiltinsPlugin } from './require-builtins-plugin';

/**
 * One self-contained ESM file for the Lambda runtime of the toolchain lane (shared/toolchain.ts).
 * Bundled CommonJS calls require() for Node built-ins, which ESM lacks, hence the createRequire
 * banner. Shared with the benchmark's reference handler.
 */
export const LAMBDA_ESM_BUNDLE: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: LANE.esbuildTarget,
  format: 'esm',
  // The SDK's ES module builds tree-shake; its CommonJS builds nearly double the bundle.
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
};

/**
 * The production bundle, with the AWS SDK inside (the runtime's copy is a different, unpinned
 * version). The plugin and the alias are cold-start optimisations, each measured with
 * `npm run bench` (bench/README.md).
 */
export const PRODUCTION_BUILD: BuildOptions = {
  ...LAMBDA_ESM_BUNDLE,
  entryPoints: [HANDLER_SOURCE_ENTRY],
  outfile: HANDLER_BUNDLE,
  metafile: true,
  plugins: [requireBuiltinsPlugin],
  alias: {
    '@aws-sdk/credential-provider-node': path.join(__dirname, 'src', 'lambda-credentials.ts'),
  },
};
