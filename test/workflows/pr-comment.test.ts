import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FORK_MESSAGE, renderForkSummary } from '../../.github/scripts/lib/fork-summary';
import {
  commentMarker,
  GITHUB_COMMENT_LIMIT,
  renderStackComment,
  truncateText,
} from '../../.github/scripts/lib/plan-comment';
import {
  findStickyComment,
  type IssueComment,
  upsertComment,
} from '../../.github/scripts/lib/sticky-comment';
import type { TerraformPlan } from '../../scripts/plan-summary';
import { REPO_ROOT } from '../support/repo-root';

const ADD_TABLE: TerraformPlan = {
  resource_changes: [
    { address: 'aws_dynamodb_table.items', type: 'aws_dynamodb_table', change: { actions: ['create'] } },
  ],
};
const NO_CHANGES: TerraformPlan = {
  resource_changes: [
    { address: 'aws_dynamodb_table.items', type: 'aws_dynamodb_table', change: { actions: ['no-op'] } },
  ],
};
const PLAN_TEXT =
  'Terraform will perform the following actions:\n\n  # aws_dynamodb_table.items will be created\n';

/** Plan text of `lines` numbered lines, each 80 characters. */
const bigPlan = (lines: number) =>
  Array.from({ length: lines }, (_, i) => `${String(i).padStart(6, '0')} ${'~'.repeat(73)}`).join('\n');

describe('pr-comment rendering', () => {
  it('starts each comment with a hidden marker naming its stack, so reruns find and edit it', () => {
    const dev = renderStackComment({ stack: 'dev', plan: ADD_TABLE, planText: PLAN_TEXT });
    const prod = renderStackComment({ stack: 'prod', plan: ADD_TABLE, planText: PLAN_TEXT });
    expect(dev.startsWith('<!-- item-api-plan:dev -->\n')).to.equal(true);
    expect(prod.startsWith(commentMarker('prod'))).to.equal(true);
    expect(commentMarker('dev')).to.not.equal(commentMarker('prod'));
  });

  it('holds the Markdown summary and the full plan in a collapsed block', () => {
    const body = renderStackComment({ stack: 'dev', plan: ADD_TABLE, planText: PLAN_TEXT });
    expect(body).to.include('### Stack `dev`');
    expect(body).to.include('1 to add, 0 to change, 0 to replace, 0 to destroy');
    expect(body).to.match(/<details><summary>Full plan for <code>dev<\/code><\/summary>\n\n```text\n/);
    expect(body).to.include(PLAN_TEXT);
    expect(body).to.not.include('truncated');
  });

  it('says "No changes" for a plan that changes nothing', () => {
    expect(renderStackComment({ stack: 'dev', plan: NO_CHANGES, planText: 'No changes.' })).to.include(
      '**No changes.**',
    );
  });

  it('links the run and names the commit when given', () => {
    const body = renderStackComment(
      { stack: 'dev', plan: ADD_TABLE, planText: PLAN_TEXT },
      { runUrl: 'https://github.com/o/r/actions/runs/42', sha: '0123456789abcdef' },
    );
    expect(body).to.include('Planned at 0123456');
    expect(body).to.include('(https://github.com/o/r/actions/runs/42)');
  });

  it('fences the plan with more backticks than any line of the plan text that could close the fence', () => {
    const closing = renderStackComment({ stack: 'dev', plan: ADD_TABLE, planText: 'a\n  ````\nb' });
    expect(closing).to.include('`````text\na\n  ````\nb\n`````');
    // Backticks inside a line cannot close a fence, however many there are.
    const inline = renderStackComment({ stack: 'dev', plan: ADD_TABLE, planText: `a ${'`'.repeat(500)} b` });
    expect(inline).to.include(`\`\`\`text\na ${'`'.repeat(500)} b\n\`\`\`\n`);
  });

  describe('truncation below the comment limit', () => {
    const cases = [
      { name: 'a plan of 57,000 characters', lines: 700, truncated: false },
      { name: 'a plan of twice the limit', lines: 1_700, truncated: true },
      { name: 'a plan of 1 MB', lines: 13_000, truncated: true },
    ];
    for (const { name, lines, truncated } of cases) {
      it(`${name} is ${truncated ? 'cut, with a note' : 'kept whole'}`, () => {
        const planText = bigPlan(lines);
        const body = renderStackComment(
          { stack: 'dev', plan: ADD_TABLE, planText },
          { runUrl: 'https://x/run' },
        );
        expect(body.length).to.be.below(GITHUB_COMMENT_LIMIT);
        expect(body.includes('The plan was shortened')).to.equal(truncated);
        expect(body.includes(planText)).to.equal(!truncated);
        if (truncated) {
          expect(body).to.include("GitHub's 65,536-character comment limit");
          expect(body).to.include('`plans` artifact of [the workflow run](https://x/run)');
          expect(body).to.include(`${bigPlan(100)}\n`);
          expect(body).to.match(/~\n… \(truncated\)\n```\n\n<\/details>/);
        }
      });
    }

    it('fills the room it has, rather than cutting far short of the limit', () => {
      const body = renderStackComment({ stack: 'dev', plan: ADD_TABLE, planText: bigPlan(2_000) });
      expect(body.length).to.be.above(GITHUB_COMMENT_LIMIT - 1_000);
    });

    it('respects a smaller limit too', () => {
      const body = renderStackComment(
        { stack: 'dev', plan: ADD_TABLE, planText: bigPlan(100) },
        { limit: 3_000 },
      );
      expect(body.length).to.be.at.most(3_000);
      expect(body).to.include('The plan was shortened');
    });
  });

  describe('truncateText', () => {
    it('cuts at the last line end that fits', () => {
      expect(truncateText('one\ntwo\nthree', 9)).to.equal('one\ntwo\n… (truncated)');
    });

    it('never splits a surrogate pair when a line is longer than the room', () => {
      const cut = truncateText('😀😀😀', 3);
      expect(cut).to.equal('😀\n… (truncated)');
      expect(cut.isWellFormed()).to.equal(true);
    });

    it('leaves text that fits alone', () => {
      expect(truncateText('short', 10)).to.equal('short');
    });
  });

  it('tells fork pull requests plainly that no plan ran, and why', () => {
    const summary = renderForkSummary(['dev', 'prod']);
    expect(summary).to.include(FORK_MESSAGE);
    expect(FORK_MESSAGE).to.match(/^Could not plan: pull requests from forks get no AWS credentials/);
    expect(FORK_MESSAGE).to.include('Synth and the offline `terraform validate` ran');
    expect(summary).to.include('- `dev`: synthesized and validated offline, **not planned**');
    expect(summary).to.include('- `prod`: synthesized and validated offline, **not planned**');
  });
});

describe('sticky comments through the GitHub API', () => {
  const marker = commentMarker('dev');
  const bot = { type: 'Bot' };
  const human = { type: 'User' };

  it('finds only a bot comment that starts with the marker', () => {
    const comments: IssueComment[] = [
      { id: 1, body: `quoting ${marker}`, user: bot },
      { id: 2, body: `${marker}\nby a person`, user: human },
      { id: 3, body: `${commentMarker('prod')}\n`, user: bot },
      { id: 4, body: `${marker}\nours`, user: bot },
    ];
    expect(findStickyComment(comments, marker)?.id).to.equal(4);
    expect(findStickyComment(comments.slice(0, 3), marker)).to.equal(undefined);
  });

  /** A fake GitHub: serves `pages` of comments and records every call. */
  function fakeGitHub(pages: IssueComment[][]) {
    const calls: { method: string; url: string; body?: unknown }[] = [];
    const fetchFake = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      const method = init?.method ?? 'GET';
      calls.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      expect((init?.headers as Record<string, string> | undefined)?.authorization).to.equal('Bearer t0ken');
      if (method === 'GET') {
        const page = Number(new URL(url).searchParams.get('page'));
        return Response.json(pages[page - 1] ?? []);
      }
      return Response.json(
        { id: method === 'POST' ? 99 : Number(url.split('/').pop()) },
        { status: method === 'POST' ? 201 : 200 },
      );
    }) as typeof fetch;
    return { calls, fetchFake };
  }

  const options = (fetchFake: typeof fetch) => ({
    apiUrl: 'https://api.github.test/',
    repository: 'acme/item-api',
    issueNumber: 7,
    token: 't0ken',
    marker,
    body: `${marker}\nnew body`,
    fetch: fetchFake,
  });

  it('edits the existing comment in place', async () => {
    const { calls, fetchFake } = fakeGitHub([[{ id: 5, body: `${marker}\nold`, user: bot }]]);
    expect(await upsertComment(options(fetchFake))).to.deep.equal({ action: 'updated', id: 5 });
    expect(calls.map((c) => `${c.method} ${c.url}`)).to.deep.equal([
      'GET https://api.github.test/repos/acme/item-api/issues/7/comments?per_page=100&page=1',
      'PATCH https://api.github.test/repos/acme/item-api/issues/comments/5',
    ]);
    expect(calls[1]?.body).to.deep.equal({ body: `${marker}\nnew body` });
  });

  it('creates the comment when there is none', async () => {
    const { calls, fetchFake } = fakeGitHub([[{ id: 1, body: 'LGTM', user: human }]]);
    expect(await upsertComment(options(fetchFake))).to.deep.equal({ action: 'created', id: 99 });
    expect(calls.at(-1)).to.deep.include({
      method: 'POST',
      url: 'https://api.github.test/repos/acme/item-api/issues/7/comments',
    });
  });

  it('looks past the first page of a long discussion', async () => {
    const chatter = Array.from({ length: 100 }, (_, i) => ({ id: 1_000 + i, body: 'comment', user: human }));
    const { fetchFake } = fakeGitHub([chatter, [{ id: 6, body: `${marker}\nold`, user: bot }]]);
    expect(await upsertComment(options(fetchFake))).to.deep.equal({ action: 'updated', id: 6 });
  });

  it('fails loudly when GitHub refuses', async () => {
    const refusing = (async () =>
      new Response('Resource not accessible by integration', { status: 403 })) as typeof fetch;
    let error: unknown;
    await upsertComment(options(refusing)).catch((e: unknown) => {
      error = e;
    });
    expect(String(error)).to.match(/answered 403: Resource not accessible/);
  });
});

describe('npm run pr-comment (the workflow step)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pr-comment-'));
    mkdirSync(path.join(dir, 'plans'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function run(args: string[], plans: Record<string, TerraformPlan>) {
    for (const [stack, plan] of Object.entries(plans)) {
      writeFileSync(path.join(dir, 'plans', `${stack}.plan.json`), JSON.stringify(plan));
      writeFileSync(path.join(dir, 'plans', `${stack}.plan.txt`), PLAN_TEXT);
    }
    const summary = path.join(dir, 'summary.md');
    const output = path.join(dir, 'output.txt');
    writeFileSync(summary, '');
    writeFileSync(output, '');
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(REPO_ROOT, '.github', 'scripts', 'pr-comment.ts'),
        '--plans-dir',
        path.join(dir, 'plans'),
        ...args,
      ],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output },
      },
    );
    return {
      status: result.status,
      stderr: result.stderr,
      summary: readFileSync(summary, 'utf8'),
      output: readFileSync(output, 'utf8'),
    };
  }

  const cases = [
    {
      name: 'any stack changes',
      plans: { dev: ADD_TABLE, prod: NO_CHANGES },
      expected: 'has-changes=true\n',
    },
    {
      name: 'no stack changes',
      plans: { dev: NO_CHANGES, prod: NO_CHANGES },
      expected: 'has-changes=false\n',
    },
  ];
  for (const { name, plans, expected } of cases) {
    it(`outputs ${expected.trim()} when ${name}, and writes every stack to the job summary`, () => {
      const result = run(['--print-only'], plans);
      expect(result.status, result.stderr).to.equal(0);
      expect(result.output).to.equal(expected);
      expect(result.summary).to.include(commentMarker('dev')).and.include(commentMarker('prod'));
    });
  }

  it('in fork mode writes the could-not-plan message to the job summary', () => {
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ stacks: { dev: {}, prod: {} } }));
    const result = run(['--fork'], {});
    expect(result.status, result.stderr).to.equal(0);
    expect(result.summary).to.include(FORK_MESSAGE).and.include('`prod`: synthesized and validated offline');
  });
});
