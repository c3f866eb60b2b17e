import { type Node, Parser } from 'commonmark';

/**
 * A comment as a CommonMark 0.31 renderer (commonmark.js, the reference implementation) reads it:
 * what is raw HTML, what is code, what is linked. GitHub renders with cmark-gfm, which is
 * CommonMark plus tables and a few extensions; an HTML block that opens in one opens in the other.
 */
export interface RenderedComment {
  /** Raw HTML blocks and inline HTML, in order. */
  readonly html: string[];
  /** The text of every code span and code block, in order. */
  readonly code: string[];
  readonly links: string[];
  /** Top-level block types, in order. */
  readonly blocks: string[];
}

export function readAsCommonMark(markdown: string): RenderedComment {
  const document = new Parser().parse(markdown);
  const rendered: RenderedComment = { html: [], code: [], links: [], blocks: [] };
  for (let block = document.firstChild; block; block = block.next) rendered.blocks.push(block.type);
  const walker = document.walker();
  for (let event = walker.next(); event; event = walker.next()) {
    if (!event.entering) continue;
    const node: Node = event.node;
    if (node.type === 'html_block' || node.type === 'html_inline') rendered.html.push(node.literal ?? '');
    if (node.type === 'code' || node.type === 'code_block') rendered.code.push(node.literal ?? '');
    if (node.type === 'link') rendered.links.push(node.destination ?? '');
  }
  return rendered;
}

/** The raw HTML the comment itself writes: its marker, the collapsed plan, and the footer's <sub>. */
export function isOwnHtml(html: string): boolean {
  return (
    /^<!-- item-api-plan:[A-Za-z0-9_.-]+ -->\n?$/.test(html) ||
    /^<details><summary>Full plan for <code>[^<>]*<\/code><\/summary>\n?$/.test(html) ||
    /^<\/details>\n?$/.test(html) ||
    html === '<sub>' ||
    html === '</sub>'
  );
}
