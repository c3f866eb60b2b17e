import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchResult } from './bench-result';
import { round } from './stats';

/** Rounds every fractional number: microseconds are below the noise and bloat the diff. */
function jsonText(result: BenchResult): string {
  return `${JSON.stringify(result, (_key, value) => (typeof value === 'number' && !Number.isInteger(value) ? round(value) : value), 2)}\n`;
}

export function writeResults(result: BenchResult, resultsDir: string): string[] {
  mkdirSync(resultsDir, { recursive: true });
  const text = jsonText(result);
  const dated = path.join(resultsDir, `${result.date.slice(0, 10)}-${result.machine.host}.json`);
  const latest = path.join(resultsDir, 'latest.json');
  writeFileSync(dated, text);
  writeFileSync(latest, text);
  return [dated, latest];
}
