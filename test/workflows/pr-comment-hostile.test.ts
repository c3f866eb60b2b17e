import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  commentMarker,
  GITHUB_COMMENT_LIMIT,
  renderPlanProblem,
  renderStackComment,
} from '../../.github/scripts/lib/plan-comment';
import { codeBlock, cutText, inlineCode } from '../../scripts/lib/markdown';
import { parsePlan } from '../../scripts/lib/plan-file';
import { renderPlanSummary } from '../../scripts/plan-summary';
import { REPO_ROOT } from '../support/repo-root';
import { HOSTILE_CASES, MALFORMED_PLAN_FILES, RUN_URL } from './hostile-plans';
import { isOwnHtml, readAsCommonMark } from './rendered-markdown';

/**
 * The pull-request comment under input a pull request controls: every case renders under GitHub's
 * limit, and a CommonMark renderer finds no HTML but the comment's own, every untrusted string as
 * code, and the stack's heading, the collapsed plan and the link to the full plan all there.
 */
describe('pr-comment under hostile plans', () => {
  const context = { runUrl: RUN_URL, sha: '0123456789abcdef' };

  for (const hostile of HOSTILE_CASES) {
    describe(hostile.name, () => {
      const body = renderStackComment(
        { stack: 'dev', plan: hostile.plan, planText: hostile.planText },
        context,
      );
      const rendered = readAsCommonMark(body);

      it(`fits under ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')} characters (${body.length.toLocaleString('en-US')})`, () => {
        expect(body.length).to.be.below(GITHUB_COMMENT_LIMIT);
        expect(body.isWellFormed(), 'no lone surrogate').to.equal(true);
      });

      it('hides nothing: no HTML but its own, the heading, the collapsed plan and the link all rendered', () => {
        expect(rendered.html.filter((html) => !isOwnHtml(html))).to.deep.equal([]);
        expect(body.startsWith(`${commentMarker('dev')}\n\n### Stack \`dev\``)).to.equal(true);
        expect(rendered.html.some((html) => html.startsWith('<details>'))).to.equal(true);
        expect(rendered.html.at(-3)?.startsWith('</details>'), 'the collapsed plan closes').to.equal(true);
        expect(rendered.links.at(-1)).to.equal(RUN_URL);
        expect(rendered.blocks.at(-1), 'the footer is the last block').to.equal('paragraph');
      });

      it('shows every untrusted string as code, literally', () => {
        for (const shown of hostile.shown) {
          expect(
            rendered.code.some((code) => code.includes(shown)),
            shown.slice(0, 80),
          ).to.equal(true);
        }
        const firstLine = hostile.planText.split('\n')[0] ?? '';
        const planBlock = rendered.code.find((code) => code.startsWith(firstLine));
        expect(planBlock, 'the plan text is one code block').to.not.equal(undefined);
      });
    });
  }

  it('the check above fails on the old rendering: a raw cell lets <!-- hide the rest', () => {
    const rawCell =
      '| `note` | add | — | `ok |\n<!-- hidden` |\n\n<details><summary>Full plan</summary>\n\n```text\nplan\n```\n\n</details>';
    const rendered = readAsCommonMark(rawCell);
    expect(rendered.html.filter((html) => !isOwnHtml(html))).to.not.deep.equal([]);
    expect(rendered.code).to.not.include('plan\n');
  });

  it('keeps every table row on one line, whatever the values hold', () => {
    const [, hostile] = HOSTILE_CASES.filter((c) => c.plan.output_changes);
    const summary = renderPlanSummary([{ name: 'dev', plan: hostile?.plan ?? {} }]);
    const rows = summary.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).to.have.length(2);
    for (const row of rows) expect(row.replaceAll('\\|', '').split('|')).to.have.length(6);
  });

  describe('inline code, by CommonMark 0.31', () => {
    const cases = [
      ['plain', 'aws_s3_bucket.b'],
      ['two backticks in a row', 'a``b'],
      ['a backtick at each end', '`x`'],
      ['spaces at both ends', ' x '],
      ['only a space', ' '],
      ['the empty string', ''],
      ['a newline and an HTML comment', 'a\n<!--'],
    ] as const;
    for (const [name, text] of cases) {
      it(`shows ${name} exactly`, () => {
        const [code] = readAsCommonMark(inlineCode(text)).code;
        expect(code).to.equal(text === '' ? ' ' : text.replaceAll('\n', '\\n'));
      });
    }

    it('a code block keeps a line of backticks inside it', () => {
      const text = 'a\n```\n ````\nb';
      expect(readAsCommonMark(codeBlock(text, 'text')).code).to.deep.equal([`${text}\n`]);
    });
  });

  it('cuts between whole characters, never inside an emoji or a joined family', () => {
    const family = '👨‍👩‍👧‍👦';
    for (let max = 2; max < 30; max++) {
      const cut = cutText(`ab${family}${family}`, max);
      expect(cut.isWellFormed()).to.equal(true);
      expect(cut.replace(/^ab?/, '').replace('…', '').replaceAll(family, '')).to.equal('');
    }
  });

  describe('a malformed plan file gets one line naming the file and what is wrong', () => {
    for (const { name, text, problem } of MALFORMED_PLAN_FILES) {
      it(name, () => {
        let message = '';
        try {
          parsePlan(text, 'dev.plan.json');
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).to.match(problem);
        expect(message).not.to.include('\n');
        const body = renderPlanProblem('dev', message, context);
        expect(readAsCommonMark(body).html.filter((html) => !isOwnHtml(html))).to.deep.equal([]);
      });
    }

    it('npm run pr-comment comments on the readable stacks, says which file is not, and fails', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'pr-comment-bad-'));
      try {
        mkdirSync(path.join(dir, 'plans'));
        writeFileSync(path.join(dir, 'plans', 'dev.plan.json'), '{"resource_changes": [');
        writeFileSync(path.join(dir, 'plans', 'prod.plan.json'), JSON.stringify({ resource_changes: [] }));
        const summary = path.join(dir, 'summary.md');
        writeFileSync(summary, '');
        const result = spawnSync(
          process.execPath,
          [
            '--import',
            'tsx',
            path.join(REPO_ROOT, '.github/scripts/pr-comment.ts'),
            '--plans-dir',
            path.join(dir, 'plans'),
            '--print-only',
          ],
          { cwd: REPO_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: summary } },
        );
        expect(result.status).to.equal(1);
        expect(result.stderr).to.match(/^dev\.plan\.json: not valid JSON \(.*\)$/m);
        expect(result.stderr).not.to.include('    at ');
        const written = readFileSync(summary, 'utf8');
        expect(written).to.include('The plan could not be read:').and.include('**No changes.**');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
