import type { BasicExpressionToken } from '@actions/workflow-parser/templates/tokens/index';
import { githubTooling } from './github-tooling';

/**
 * Two places where GitHub's JavaScript tooling (built for the editor) differs from what the runner
 * does with the same workflow, corrected here so the harness runs what GitHub runs:
 *
 * 1. `@actions/expressions` 0.3.x unescapes only the first `''` of a string literal (its lexer
 *    calls `replace("''", "'")`, not `replaceAll`), so `format('it''s ''x''', …)` keeps two of
 *    the quotes doubled. The runner unescapes every one.
 * 2. `@actions/workflow-parser` builds the `format()` of a multi-line block scalar (`run: |` with a
 *    `${{ }}` inside) from the YAML source, so the literal text keeps the block's indentation and
 *    its trailing line breaks unchomped. The runner formats the decoded value.
 *
 * Each is undone without parsing anything again: the string tokens are re-read from their own
 * lexemes, and the block's text is de-indented and chomped as YAML's literal style says.
 */
type Token = { type: number; lexeme: string; value?: string | number | boolean };

export function lexExpression(expression: string): Token[] {
  const { Lexer } = githubTooling().expressions;
  const tokens = new Lexer(expression).lex().tokens as Token[];
  for (const token of tokens) {
    if (token.lexeme.startsWith("'")) token.value = token.lexeme.slice(1, -1).replaceAll("''", "'");
  }
  return tokens;
}

/** The expression the runner evaluates for a token: for a multi-line block scalar, one built from its decoded text. */
export function runnerExpression(token: BasicExpressionToken): string {
  const header = token.blockScalarHeader;
  const parts = token.originalExpressions;
  if (header === undefined || parts === undefined || !token.expression.startsWith('format('))
    return token.expression;
  const template = lexExpression(token.expression)[2];
  if (typeof template?.value !== 'string')
    throw new Error(`unexpected format() expression: ${token.expression}`);
  const text = decodeLiteralBlock(template.value, header);
  return `format('${text.replaceAll("'", "''")}', ${parts.map((part) => part.expression).join(', ')})`;
}

/** A literal block scalar's value from its source lines: the first line's indentation removed, then chomped. */
export function decodeLiteralBlock(source: string, header: string): string {
  if (!header.startsWith('|') || /\d/.test(header)) {
    throw new Error(`the harness does not decode ${header} blocks that hold \${{ }} (use a plain | block)`);
  }
  const lines = source.split('\n');
  const first = lines.find((line) => line.trim() !== '') ?? '';
  const indent = first.length - first.trimStart().length;
  const body = lines
    .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
    .join('\n');
  const content = body.replace(/\n*$/, '');
  if (header.includes('-')) return content;
  if (header.includes('+')) return content + body.slice(content.length);
  return `${content}\n`;
}
