/**
 * Characters a terminal prints as nothing, or that reorder the rest of the line: DEL, the C1
 * controls, zero-width space and byte order mark, bidirectional controls ("Trojan Source", CVE-2021-42574)
 * and the Unicode line and paragraph separators. JSON.stringify escapes only C0 controls and lone
 * surrogates, so `id "a<DEL>"` would read `id "a"` and the user could not see what to fix. Joiners
 * (U+200C, U+200D) stay: emoji sequences need them.
 */
const UNSEEN =
  /[\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/** How a message shows a value longer than `longerThan` characters: its first `keep`, then `…`. */
export interface Cut {
  readonly longerThan: number;
  readonly keep: number;
}

/**
 * A user's value as every message shows it: in double quotes, with what the eye cannot see escaped
 * as `\uXXXX`, and cut between whole characters when a cut is given.
 */
export function inQuotes(value: string, cut?: Cut): string {
  const characters = [...value];
  const shown =
    cut !== undefined && characters.length > cut.longerThan
      ? `${characters.slice(0, cut.keep).join('')}…`
      : value;
  return JSON.stringify(shown).replace(
    UNSEEN,
    (character) => `\\u${(character.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}

/** Any value in a message: strings through `inQuotes`, numbers and the rest as JSON writes them. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? inQuotes(value) : JSON.stringify(value);
}
