import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BuildOptions } from 'esbuild';
import { LAMBDA_ESM_BUNDLE, PRODUCTION_BUILD } from '#handler/build-options';
import { HANDLER_BUNDLE } from '#handler/bundle';
import { buildHandler } from '../../scripts/build';
import { REPO_ROOT } from '../../scripts/lib/paths';

export type VariantName =
  | 'item-api'
  | 'item-api-unprimed'
  | 'item-api-network'
  | 'typical'
  | 'aws-lite'
  | 'aws-lite-primed'
  | 'bare-node';
/** A raw client the warm run compares the handler against, in the same process. */
export type RawClient = 'sdk' | 'aws-lite';

export interface Variant {
  readonly name: VariantName;
  readonly description: string;
  /** The built file Lambda would load; absent for bare Node, which loads nothing. */
  readonly entry?: string;
  readonly nodeArgs: readonly string[];
  /** The raw clients its warm run compares against; variants without any have no warm or memory run. */
  readonly rawClients: readonly RawClient[];
}

export interface BundleSize {
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Source map bytes, shipped next to the bundle by the typical build. */
  readonly mapBytes?: number;
}

export const BENCH_BUILD_DIR = path.join(REPO_ROOT, 'bench', '.build');
const REFERENCE_DIR = path.join(REPO_ROOT, 'bench', 'reference');
/** The handler without priming at init: what shipped before, and what a typical build can do. */
const UNPRIMED_ENTRY = path.join(__dirname, 'unprimed-entry.ts');

/**
 * The same handler source built the way common examples build it (CDK NodejsFunction, SAM's
 * esbuild builder): CommonJS, readable, a source map beside it and --enable-source-maps. esbuild's
 * 'external' map would carry no sourceMappingURL, so Node would never load it; 'linked' is the
 * separate-file map those tools produce. CommonJS has no top-level await, so such a build cannot
 * wait for priming at init: it is built from the unprimed entry, as such projects ship.
 */
export const TYPICAL_BUILD: BuildOptions = {
  entryPoints: [UNPRIMED_ENTRY],
  outfile: path.join(BENCH_BUILD_DIR, 'typical', 'index.js'),
  bundle: true,
  platform: 'node',
  target: LAMBDA_ESM_BUNDLE.target,
  format: 'cjs',
  minify: false,
  sourcemap: 'linked',
  logLevel: 'warning',
};

/**
 * The aws-lite floor gets the same bundle format as production (ESM, minified, the lane's target) but none of
 * the handler-specific cold-start work (plugin, alias), so tuning PRODUCTION_BUILD cannot silently
 * change the reference.
 */
export const AWS_LITE_BUILD: BuildOptions = {
  ...LAMBDA_ESM_BUNDLE,
  entryPoints: [path.join(REFERENCE_DIR, 'aws-lite-handler.mjs')],
  outfile: path.join(BENCH_BUILD_DIR, 'aws-lite', 'index.mjs'),
};

/** The floor for a first request: aws-lite with one real GetItem at init. */
export const AWS_LITE_PRIMED_BUILD: BuildOptions = {
  ...AWS_LITE_BUILD,
  entryPoints: [path.join(REFERENCE_DIR, 'aws-lite-primed-handler.mjs')],
  outfile: path.join(BENCH_BUILD_DIR, 'aws-lite-primed', 'index.mjs'),
};

/** Production's build of the unprimed entry: the difference to item-api is priming alone. */
export const UNPRIMED_BUILD: BuildOptions = {
  ...PRODUCTION_BUILD,
  entryPoints: [UNPRIMED_ENTRY],
  outfile: path.join(BENCH_BUILD_DIR, 'item-api-unprimed', 'index.mjs'),
};

/** Production's build of the network form of priming, which is measured and not shipped. */
export const NETWORK_PRIMED_BUILD: BuildOptions = {
  ...PRODUCTION_BUILD,
  entryPoints: [path.join(__dirname, 'network-primed-entry.mts')],
  outfile: path.join(BENCH_BUILD_DIR, 'item-api-network', 'index.mjs'),
};

export const VARIANTS: readonly Variant[] = [
  {
    name: 'item-api',
    description: 'the production bundle, exactly dist/handler/index.mjs as deployed',
    entry: HANDLER_BUNDLE,
    nodeArgs: [],
    rawClients: ['sdk'],
  },
  {
    name: 'item-api-unprimed',
    description: 'the same source and build without priming at init, as item-api shipped before',
    entry: UNPRIMED_BUILD.outfile,
    nodeArgs: [],
    rawClients: [],
  },
  {
    name: 'item-api-network',
    description: 'item-api plus the network form of priming (a real GetItem at init); not shipped',
    entry: NETWORK_PRIMED_BUILD.outfile,
    nodeArgs: [],
    rawClients: [],
  },
  {
    name: 'typical',
    description: 'same handler source, esbuild CJS, not minified, linked source map, --enable-source-maps',
    entry: TYPICAL_BUILD.outfile,
    nodeArgs: ['--enable-source-maps'],
    rawClients: ['sdk'],
  },
  {
    name: 'aws-lite',
    description: 'reference GET handler on @aws-lite/client + @aws-lite/dynamodb, ESM, minified',
    entry: AWS_LITE_BUILD.outfile,
    nodeArgs: [],
    rawClients: ['sdk', 'aws-lite'],
  },
  {
    name: 'aws-lite-primed',
    description: 'the aws-lite reference plus one GetItem at init: the floor for a first request',
    entry: AWS_LITE_PRIMED_BUILD.outfile,
    nodeArgs: [],
    rawClients: [],
  },
  { name: 'bare-node', description: 'node -e 0: the runtime floor', nodeArgs: [], rawClients: [] },
];

/**
 * Builds the variants the bench owns. item-api is never rebuilt here: it must be the file
 * `npm run build` made, which `npm run bench` runs first.
 */
export async function buildVariants(): Promise<Map<VariantName, BundleSize>> {
  if (!existsSync(HANDLER_BUNDLE)) throw new Error(`${HANDLER_BUNDLE} is missing: run npm run build first`);
  for (const options of [
    UNPRIMED_BUILD,
    NETWORK_PRIMED_BUILD,
    TYPICAL_BUILD,
    AWS_LITE_BUILD,
    AWS_LITE_PRIMED_BUILD,
  ]) {
    await buildHandler(options);
  }
  const sizes = new Map<VariantName, BundleSize>();
  for (const variant of VARIANTS) if (variant.entry) sizes.set(variant.name, bundleSize(variant.entry));
  return sizes;
}

export function bundleSize(file: string): BundleSize {
  const code = readFileSync(file);
  const map = `${file}.map`;
  return {
    bytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    ...(existsSync(map) && { mapBytes: readFileSync(map).byteLength }),
  };
}

/**
 * Copies a variant's output folder (the whole folder, as the deployment zip holds it) into
 * `stageDir`, away from node_modules, so nothing resolves there that would not resolve on Lambda.
 * Returns the staged entry file.
 */
export function stageVariant(variant: Variant, stageDir: string): string {
  if (!variant.entry) throw new Error(`${variant.name} has no bundle to stage`);
  const target = path.join(stageDir, variant.name);
  cpSync(path.dirname(variant.entry), target, { recursive: true });
  return path.join(target, path.basename(variant.entry));
}
