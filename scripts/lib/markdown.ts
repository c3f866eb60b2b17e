/**
 * The one way untrusted text (anything a pull request's code can put into a plan: addresses, keys,
 * output values, reasons, stack names) enters Markdown. Each function makes its text literal in
 * one context, by CommonMark 0.31's rules and GitHub's table extension:
 * - inline code: a backtick string longer than any inside, padded when the text starts or ends
 *   with a backtick; line breaks and other control characters shown as escapes, because a line
 *   break would end a table row, or start an HTML block (`<!--`) that hides the rest of the page;
 * - table cells: inline code, with `|` escaped (GitHub splits cells before it parses code spans);
 * - code blocks: a fence longer than any backtick run that could close it;
 * - HTML (the `<summary>` of a collapsed block): `&`, `<`, `>` and `"` as entities.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Line breaks, tabs and other control characters as visible escapes (`\n`, `\u001b`). */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const longestRun = (text: string, pattern: RegExp) =>
  Math.max(0, ...[...text.matchAll(pattern)].map((m) => (m[1] ?? m[0]).length));

/** Inline code showing `text` exactly, on one line; in a table cell its pipes are escaped too. */
export function inlineCode(text: string, options: { inTable?: boolean } = {}): string {
  // An empty code span does not exist in CommonMark (two backticks stay two backticks).
  if (text === '') return '` `';
  let body = oneLine(text);
  if (options.inTable) body = body.replaceAll('|', '\\|');
  const fence = '`'.repeat(longestRun(body, /`+/g) + 1);
  // CommonMark strips one space from each end when both are there; a backtick at either end
  // would join the fence. A space on each side keeps both cases literal.
  const pad = body.startsWith('`') || body.endsWith('`') || (/^ .*[^ ].* $/s.test(body) && body.length > 2);
  return pad ? `${fence} ${body} ${fence}` : `${fence}${body}${fence}`;
}

/**
 * A fenced code block showing `text` exactly. Only a line of at least as many backticks (after at
 * most three spaces, with nothing but spaces after) closes a fence, so the fence is one longer than
 * the longest such line; backticks elsewhere cannot close it, however long.
 */
export function codeBlock(text: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, /^ {0,3}(`+)[ \t]*$/gm) + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

export function htmlText(text: string): string {
  return oneLine(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * At most `max` UTF-16 code units of `text`, cut between user-perceived characters (an emoji,
 * even a joined family or a flag, is kept whole or left out), with `…` when something was cut.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  return `${kept}…`;
}
