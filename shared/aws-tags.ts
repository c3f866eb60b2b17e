/**
 * AWS's tag rules, as its services enforce them at apply time ("Tag naming limits and
 * requirements", Tagging AWS Resources; every tagging API repeats them): at most 50 user tags per
 * resource; keys of 1 to 128 and values of 0 to 256 Unicode characters; letters, digits, spaces and
 * `_ . : / = + - @` only; and `aws:`, in any case, reserved for AWS as a prefix of keys and values.
 * IAM keeps a role's tag keys without regard to case (IAM User Guide, "Tags for IAM resources",
 * case sensitivity), so two keys that differ only in case would leave one tag on the role: the
 * stack's own roles carry these tags too, so such keys are refused as well.
 * Checked at synth, so a bad tag fails before any resource is created rather than half-way
 * through an apply.
 */
import { inQuotes } from './quoted';

export const AWS_TAG_LIMITS = { tagsPerResource: 50, keyCharacters: 128, valueCharacters: 256 } as const;

/** The characters every tagging API accepts: `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` in their models. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const RESERVED_PREFIX = /^aws:/i;

export interface TagProblem {
  /** The tag at fault; undefined for a problem of the whole set (too many tags). */
  readonly key?: string;
  readonly message: string;
}

/**
 * Every problem of `tags`, the user's own, when the stack adds `added` to every resource as well:
 * those count against the limit, and their keys may not be set by the user (they would be
 * overwritten without a word).
 */
export function tagProblems(
  tags: Readonly<Record<string, string>>,
  added: Readonly<Record<string, string>>,
): TagProblem[] {
  const problems: TagProblem[] = [];
  const keys = Object.keys(tags);
  const byCase = new Map(
    Object.keys(added).map((key) => [key.toLowerCase(), `the stack's own tag "${key}"`]),
  );
  for (const key of keys) {
    const message =
      tagKeyProblem(key, added) ?? caseProblem(key, byCase) ?? tagValueProblem(tags[key] as string);
    if (message !== undefined) problems.push({ key, message });
    if (!byCase.has(key.toLowerCase())) byCase.set(key.toLowerCase(), `the tag "${key}"`);
  }
  const total = keys.length + Object.keys(added).length;
  if (total > AWS_TAG_LIMITS.tagsPerResource) {
    problems.push({
      message:
        `has ${keys.length} tags; with the ${Object.keys(added).length} the stack adds (${Object.keys(added).join(', ')}) ` +
        `that is ${total}, and AWS allows ${AWS_TAG_LIMITS.tagsPerResource} per resource`,
    });
  }
  return problems;
}

function tagKeyProblem(key: string, added: Readonly<Record<string, string>>): string | undefined {
  const length = [...key].length;
  if (length === 0) return 'is an empty tag key; AWS needs 1 to 128 characters';
  if (length > AWS_TAG_LIMITS.keyCharacters)
    return `is a tag key of ${length} characters; AWS allows ${AWS_TAG_LIMITS.keyCharacters}`;
  if (RESERVED_PREFIX.test(key)) return 'starts with "aws:", which AWS reserves for its own tags';
  if (!TAG_CHARACTERS.test(key)) return `has ${characterNamed(key)}; ${ALLOWED}`;
  if (Object.hasOwn(added, key)) {
    return `is a tag the stack sets itself (${inQuotes(key)}: ${inQuotes(added[key] as string)}); use another key`;
  }
  return undefined;
}

function caseProblem(key: string, byCase: ReadonlyMap<string, string>): string | undefined {
  const other = byCase.get(key.toLowerCase());
  return other === undefined
    ? undefined
    : `differs from ${other} only in case; IAM keeps one of them on a role, so the other would be lost`;
}

function tagValueProblem(value: string): string | undefined {
  if (typeof value !== 'string') return `must be a string, got ${JSON.stringify(value)}`;
  const length = [...value].length;
  if (length > AWS_TAG_LIMITS.valueCharacters)
    return `has a value of ${length} characters; AWS allows ${AWS_TAG_LIMITS.valueCharacters}`;
  if (RESERVED_PREFIX.test(value)) return 'has a value starting with "aws:", which AWS reserves';
  if (!TAG_CHARACTERS.test(value)) return `has a value with ${characterNamed(value)}; ${ALLOWED}`;
  return undefined;
}

const ALLOWED = 'tags may hold letters, digits, spaces and _ . : / = + - @';

/** The first character a tag may not hold, as U+XXXX, since it is often invisible (NUL, a tab). */
function characterNamed(text: string): string {
  const bad = [...text].find((character) => !TAG_CHARACTERS.test(character)) as string;
  const code = (bad.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
  return `the character U+${code}${/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(bad) ? ` (${bad})` : ''}`;
}
