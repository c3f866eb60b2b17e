import { existsSync, readFileSync } from 'node:fs';

/**
 * The runner's file commands, read after each step: GITHUB_OUTPUT and GITHUB_ENV hold `name=value`
 * lines or `name<<DELIMITER` blocks (as the runner parses them: whichever of `=` and `<<` comes
 * first decides), GITHUB_PATH one directory per line. A malformed file fails the step, as on GitHub.
 */
export function parseKeyValueFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const values: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === '') throw new Error(`Invalid format '${line}'. Name must not be empty`);
      values[name] = line.slice(equals + 1);
      continue;
    }
    if (heredoc <= 0) throw new Error(`Invalid format '${line}'`);
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    if (delimiter === '') throw new Error(`Invalid format '${line}'. Delimiter must not be empty`);
    const body: string[] = [];
    for (i++; ; i++) {
      if (i >= lines.length) throw new Error(`Matching delimiter not found '${delimiter}'`);
      if (lines[i] === delimiter) break;
      body.push(lines[i] as string);
    }
    values[name] = body.join('\n');
  }
  return values;
}

export function parsePathFile(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** `::error::` and `::warning::` lines of a step's output: what GitHub shows as annotations. */
export function annotationsIn(output: string): { level: 'error' | 'warning'; message: string }[] {
  return [...output.matchAll(/^::(error|warning)(?: [^:]*)?::(.*)$/gm)].map((match) => ({
    level: match[1] as 'error' | 'warning',
    message: match[2] as string,
  }));
}
