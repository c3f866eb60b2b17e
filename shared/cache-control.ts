/**
 * The `Cache-Control` the function sends on items (`CACHE_CONTROL`), checked against RFC 9111 §5.2:
 * its grammar (`#cache-directive`, each `token [ "=" ( token / quoted-string ) ]`), the response
 * directives caches know and the argument each takes, and combinations that contradict
 * themselves. Caches ignore what they do not understand, so a typo (`max_age=60`) or a
 * contradiction (`no-store, max-age=60`) would silently behave otherwise than written; both are
 * refused instead.
 */
import { inQuotes } from './quoted';

/** One year: the longest this project lets caches keep an item, for `CACHE_CONTROL` and `fn.cacheControl` alike. */
export const MAX_CACHE_SECONDS = 31_536_000;

/**
 * Every directive below, each with a one-year value, fits in about 200 characters; anything longer
 * is not a policy but a mistake, and is sent on every response.
 */
export const CACHE_CONTROL_MAX_LENGTH = 256;

/** The argument a response directive takes: delta-seconds, none, or an optional quoted list of field names. */
type Argument = 'seconds' | 'none' | 'field-names';

/** RFC 9111 §5.2.2, with stale-while-revalidate and stale-if-error (RFC 5861) and immutable (RFC 8246). */
const RESPONSE_DIRECTIVES: Readonly<Record<string, Argument>> = {
  'max-age': 'seconds',
  's-maxage': 'seconds',
  'stale-while-revalidate': 'seconds',
  'stale-if-error': 'seconds',
  'no-cache': 'field-names',
  private: 'field-names',
  'no-store': 'none',
  'no-transform': 'none',
  public: 'none',
  'must-revalidate': 'none',
  'proxy-revalidate': 'none',
  'must-understand': 'none',
  immutable: 'none',
};

/** RFC 9111 §5.2.1: meaningful in requests only. */
const REQUEST_DIRECTIVES = ['max-stale', 'min-fresh', 'only-if-cached'];

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\t !#-\\[\\]-~]|\\\\[\\t -~])*"';
const DIRECTIVE = new RegExp(`(${TOKEN})(?:=(?:(${TOKEN})|(${QUOTED})))?`, 'y');
const SEPARATOR = /[ \t]*,[ \t]*/y;
const FIELD_NAMES = new RegExp(`^"[ \\t]*${TOKEN}(?:[ \\t]*,[ \\t]*${TOKEN})*[ \\t]*"$`);

interface Directive {
  readonly name: string;
  readonly token?: string;
  readonly quoted?: string;
}

/** Why a number of seconds cannot be a cache lifetime here, or undefined. */
export function secondsProblem(value: number): string | undefined {
  return Number.isInteger(value) && value >= 0 && value <= MAX_CACHE_SECONDS
    ? undefined
    : `must be a whole number of seconds from 0 to ${MAX_CACHE_SECONDS} (one year), got ${value}`;
}

/** Every problem with a `Cache-Control` value for items, empty when it is valid. */
export function cacheControlProblems(value: string): string[] {
  if (/[\r\n]/.test(value)) return ['must be a single line'];
  if (value.length > CACHE_CONTROL_MAX_LENGTH) {
    return [
      `is ${value.length} characters long; a Cache-Control policy needs at most ${CACHE_CONTROL_MAX_LENGTH}`,
    ];
  }
  const directives = parseDirectives(value);
  if (typeof directives === 'string') return [directives];
  const problems: string[] = [];
  const seen = new Map<string, Directive>();
  for (const directive of directives) {
    const name = directive.name.toLowerCase();
    if (seen.has(name))
      problems.push(`names ${name} twice; caches may take either, or treat the response as stale`);
    seen.set(name, directive);
    const problem = argumentProblem(name, directive);
    if (problem !== undefined) problems.push(problem);
  }
  return problems.length > 0 ? problems : conflicts(seen);
}

function parseDirectives(value: string): Directive[] | string {
  const directives: Directive[] = [];
  let at = 0;
  const unexpected = () =>
    `${inQuotes(value)} is not a list of directives such as "max-age=60, stale-while-revalidate=30" or ` +
    `"no-cache" (tokens, each optionally =token or ="quoted", separated by commas): ` +
    (at < value.length
      ? `unexpected ${inQuotes(value[at] as string)} at character ${at + 1}`
      : 'it ends after a comma');
  for (;;) {
    DIRECTIVE.lastIndex = at;
    const match = DIRECTIVE.exec(value);
    if (match === null) return unexpected();
    directives.push({ name: match[1] as string, token: match[2], quoted: match[3] });
    at = DIRECTIVE.lastIndex;
    if (at === value.length) return directives;
    SEPARATOR.lastIndex = at;
    if (SEPARATOR.exec(value) === null) return unexpected();
    at = SEPARATOR.lastIndex;
  }
}

function argumentProblem(name: string, { token, quoted }: Directive): string | undefined {
  const kind = RESPONSE_DIRECTIVES[name];
  if (kind === undefined) {
    return REQUEST_DIRECTIVES.includes(name)
      ? `${name} is a request directive; a response cannot use it`
      : `${name} is not a response directive caches know (RFC 9111 §5.2.2, RFC 5861, RFC 8246), so they would ignore it`;
  }
  if (kind === 'none')
    return token === undefined && quoted === undefined ? undefined : `${name} takes no value`;
  if (kind === 'field-names') {
    if (token !== undefined) return `${name} takes its field names quoted, as in ${name}="Set-Cookie"`;
    return quoted === undefined || FIELD_NAMES.test(quoted)
      ? undefined
      : `${name}=${quoted} must list field names separated by commas, as in ${name}="Set-Cookie, X-Id"`;
  }
  if (quoted !== undefined)
    return `${name} takes its seconds unquoted (RFC 9111 §5.2.2.1): ${name}=5, not ${name}="5"`;
  if (token === undefined) return `${name} needs a number of seconds, as in ${name}=60`;
  if (!/^\d+$/.test(token))
    return `${name}=${token}: the value must be a whole number of seconds (digits only)`;
  const problem = secondsProblem(Number(token));
  return problem === undefined ? undefined : `${name} ${problem}`;
}

/**
 * Combinations that contradict themselves, refused because a cache obeys the stricter directive
 * and the other never applies: no-store or unqualified no-cache with a positive lifetime,
 * stale-*, immutable (and no-store with public); public with private; unqualified private with
 * s-maxage (shared caches only, which private excludes); must-revalidate with stale-* (it forbids
 * serving stale). A zero lifetime beside no-store or no-cache says the same twice and is allowed.
 */
function conflicts(directives: ReadonlyMap<string, Directive>): string[] {
  const has = (name: string) => directives.has(name);
  const unqualified = (name: string) => has(name) && directives.get(name)?.quoted === undefined;
  const positive = (name: string) => has(name) && Number(directives.get(name)?.token) > 0;
  const lifetimes = ['max-age', 's-maxage', 'stale-while-revalidate', 'stale-if-error'].filter(positive);
  const problems: string[] = [];
  const clash = (strict: string, others: string[], why: string) => {
    for (const other of others)
      problems.push(`${strict} with ${other}: ${why}, so ${other} would never apply`);
  };
  if (has('no-store')) {
    clash(
      'no-store',
      [...lifetimes, ...['immutable', 'public'].filter(has)],
      'no-store forbids caches to keep the response',
    );
  }
  if (unqualified('no-cache')) {
    clash(
      'no-cache',
      [...lifetimes, ...['immutable'].filter(has)],
      'no-cache makes caches revalidate before every use',
    );
  }
  if (has('public') && has('private')) problems.push('public with private: they contradict each other');
  if (unqualified('private')) {
    clash(
      'private',
      ['s-maxage'].filter(has),
      'private keeps shared caches, the only ones s-maxage is for, from storing it',
    );
  }
  if (has('must-revalidate')) {
    clash(
      'must-revalidate',
      ['stale-while-revalidate', 'stale-if-error'].filter(positive),
      'must-revalidate forbids serving it stale',
    );
  }
  return problems;
}
