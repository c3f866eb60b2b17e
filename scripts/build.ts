import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { PRODUCTION_BUILD } from '#handler/build-options';
import { BUILD_REPORT, HANDLER_BUNDLE } from '#handler/bundle';
import { runWhenMain } from './lib/cli';
import { REPO_ROOT } from './lib/paths';

export interface SizeReport {
  bundle: string;
  bytes: number;
  gzipBytes: number;
  topInputs: { path: string; bytes: number }[];
}

export async function buildHandler(options: BuildOptions = PRODUCTION_BUILD): Promise<SizeReport> {
  const outfile = options.outfile ?? HANDLER_BUNDLE;
  rmSync(path.dirname(outfile), { recursive: true, force: true });
  mkdirSync(path.dirname(outfile), { recursive: true });
  const result = await build({ ...options, metafile: true });
  return sizeReport(outfile, result.metafile);
}

function sizeReport(outfile: string, metafile: Metafile): SizeReport {
  const code = readFileSync(outfile);
  const output =
    metafile.outputs[path.relative(process.cwd(), outfile)] ?? Object.values(metafile.outputs)[0];
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const key = packageOf(input);
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  return {
    bundle: path.relative(REPO_ROOT, outfile),
    bytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    topInputs: [...byPackage]
      .map(([p, bytes]) => ({ path: p, bytes }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 12),
  };
}

/** Groups node_modules inputs by package so the report says which dependency costs what. */
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? input;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** `npm run build`: the production bundle and its size report; returns the report. */
export async function buildProduction(log: (line: string) => void = console.log): Promise<SizeReport> {
  const report = await buildHandler();
  mkdirSync(path.dirname(BUILD_REPORT), { recursive: true });
  writeFileSync(BUILD_REPORT, `${JSON.stringify(report, null, 2)}\n`);
  log(`built ${report.bundle}: ${kib(report.bytes)} (${kib(report.gzipBytes)} gzip)`);
  for (const { path: p, bytes } of report.topInputs.slice(0, 6)) log(`  ${kib(bytes).padStart(10)}  ${p}`);
  return report;
}

runWhenMain(module, () => buildProduction());
