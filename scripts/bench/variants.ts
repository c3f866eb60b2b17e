import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BuildOptions } from 'esbuild';
import { buildHandler, NODE22_ESM_BUNDLE } from '../build';
import { HANDLER_BUNDLE, HANDLER_ENTRY, REPO_ROOT } from '../lib/paths';

export type VariantName = 'item-api' | 'typical' | 'aws-lite' | 'bare-node';
/** A raw client the warm run compares the handler against, in the same process. */
export type RawClient = 'sdk' | 'aws-lite';

export interface Variant {
  readonly name: VariantName;
  readonly description: string;
  /** The built file Lambda would load; absent for bare Node, which loads nothing. */
  readonly entry?: string;
  readonly nodeArgs: readonly string[];
  readonly rawClients: readonly RawClient[];
}

export interface BundleSize {
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Source map bytes, shipped next to the bundle by the typical build. */
  readonly mapBytes?: number;
}

export const BENCH_BUILD_DIR = path.join(REPO_ROOT, 'bench', '.build');
const AWS_LITE_ENTRY = path.join(REPO_ROOT, 'bench', 'reference', 'aws-lite-handler.mjs');

/**
 * The same handler source built the way common examples build it (CDK NodejsFunction, SAM's
 * esbuild builder): CommonJS, readable, a source map beside it and --enable-source-maps. esbuild's
 * 'external' map would carry no sourceMappingURL, so Node would never load it; 'linked' is the
 * separate-file map those tools produce.
 */
export const TYPICAL_BUILD: BuildOptions = {
  entryPoints: [HANDLER_ENTRY],
  outfile: path.join(BENCH_BUILD_DIR, 'typical', 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: false,
  sourcemap: 'linked',
  logLevel: 'warning',
};

/**
 * The aws-lite floor gets the same bundle format as production (ESM, minified, node22) but none of
 * the handler-specific cold-start work (plugin, alias), so tuning PRODUCTION_BUILD cannot silently
 * change the reference.
 */
export const AWS_LITE_BUILD: BuildOptions = {
  ...NODE22_ESM_BUNDLE,
  entryPoints: [AWS_LITE_ENTRY],
  outfile: path.join(BENCH_BUILD_DIR, 'aws-lite', 'index.mjs'),
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
  { name: 'bare-node', description: 'node -e 0: the runtime floor', nodeArgs: [], rawClients: [] },
];

/**
 * Builds the two variants the bench owns. item-api is never rebuilt here: it must be the file
 * `npm run build` made, which `npm run bench` runs first.
 */
export async function buildVariants(): Promise<Map<VariantName, BundleSize>> {
  if (!existsSync(HANDLER_BUNDLE)) throw new Error(`${HANDLER_BUNDLE} is missing: run npm run build first`);
  await buildHandler(TYPICAL_BUILD);
  await buildHandler(AWS_LITE_BUILD);
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
