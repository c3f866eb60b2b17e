import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ENVIRONMENT_OUTPUTS } from '../../infra/environment-outputs';
import { UNSCOPED_RESOURCE_EXCEPTIONS } from '../infra/policy-rules';
import { tableRows } from '../support/markdown-table';
import { REPO_ROOT } from '../support/repo-root';

const trackedFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: REPO_ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean);
const MARKDOWN = trackedFiles.filter(
  (file) => file.endsWith('.md') && existsSync(path.join(REPO_ROOT, file)),
);
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

/** Markdown outside code blocks, where links and paths are meant as such. */
function prose(markdown: string): string {
  return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

function anchorsIn(file: string): string[] {
  return [...prose(read(file)).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1] as string));
}

const unquoted = (cell: string) => cell.replaceAll('`', '');

describe('the documentation', () => {
  it('finds Markdown files to check', () => {
    expect(MARKDOWN).to.include.members(['README.md', 'SECURITY.md', 'docs/deploy.md', 'bench/README.md']);
  });

  describe('every relative link points at a file that exists, and at a heading it has', () => {
    for (const file of MARKDOWN) {
      it(file, () => {
        const broken: string[] = [];
        for (const [, target] of prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)) {
          if (/^(https?:|mailto:)/.test(target as string)) continue;
          const [link, anchor] = (target as string).split('#') as [string, string | undefined];
          const resolved = link === '' ? file : path.normalize(path.join(path.dirname(file), link));
          if (!existsSync(path.join(REPO_ROOT, resolved))) {
            broken.push(`${target}: no ${resolved}`);
            continue;
          }
          const isMarkdown = resolved.endsWith('.md') && statSync(path.join(REPO_ROOT, resolved)).isFile();
          if (anchor !== undefined && isMarkdown && !anchorsIn(resolved).includes(anchor)) {
            broken.push(`${target}: ${resolved} has no heading #${anchor}`);
          }
        }
        expect(broken).to.deep.equal([]);
      });
    }
  });

  describe('every repository path it names in code spans exists', () => {
    const PATH = /`((?:\.?[\w-]+\/)+[\w.-]+\.(?:ts|mts|mjs|md|ya?ml|json|hcl|svg))`/g;
    for (const file of MARKDOWN) {
      it(file, () => {
        const missing = [...prose(read(file)).matchAll(PATH)]
          .map((m) => m[1] as string)
          .filter((p) => !p.startsWith('dist/') && !existsSync(path.join(REPO_ROOT, p)));
        expect([...new Set(missing)]).to.deep.equal([]);
      });
    }
  });

  it("the Outputs table in docs/deploy.md is the stacks' outputs, in order, with their descriptions", () => {
    const rows = tableRows(read('docs/deploy.md'), 'Output');
    expect(
      rows.map(([name, description]) => [unquoted(name ?? ''), unquoted(description ?? '')]),
    ).to.deep.equal(ENVIRONMENT_OUTPUTS.map((output) => [output.name, output.description]));
  });

  it('SECURITY.md lists exactly the unscoped IAM statements the policy rules accept', () => {
    const rows = tableRows(read('SECURITY.md'), 'Statement');
    const sids = rows.map(([statement]) => /`([^`]+)`/.exec(statement ?? '')?.[1]);
    expect(sids).to.have.members(UNSCOPED_RESOURCE_EXCEPTIONS.map((exception) => exception.sid));
  });

  it('the README stays a landing page: at most 10 KB, with a layout line for every top-level folder', () => {
    const readme = read('README.md');
    expect(Buffer.byteLength(readme)).to.be.at.most(10 * 1024);
    const layout = /## Layout\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const folders = [
      ...new Set(trackedFiles.filter((f) => f.includes('/')).map((f) => f.split('/')[0] as string)),
    ]
      .filter((folder) => !['.ci', 'types'].includes(folder))
      .sort();
    const missing = folders.filter(
      (folder) => !new RegExp(`^${folder.replace('.', '\\.')}/`, 'm').test(layout),
    );
    expect(missing, 'folders the Layout does not show').to.deep.equal([]);
  });
});
