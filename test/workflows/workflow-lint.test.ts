// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions are literal ${{ ... }} strings in workflow YAML.
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import {
  actionlintFindings,
  type Finding,
  runScripts,
  shellcheckFindings,
  withoutExpressions,
} from '../../.github/scripts/lib/workflow-lint';
import { loadWorkflows } from './workflow-files';

const hasShellcheck = !spawnSync('shellcheck', ['--version']).error;

/** A workflow with one job whose steps are `steps` (YAML, indented for a step list). */
const workflow = (steps: string, jobExtra = '') =>
  `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n${jobExtra}    steps:\n${steps}`;

const summary = (findings: Finding[]) => findings.map((f) => `${f.line}: ${f.message}`);

describe('workflow lint (npm run lint:workflows)', function () {
  this.timeout(60_000);

  before(function () {
    if (hasShellcheck) return;
    if (process.env.CI)
      throw new Error('CI is set, but shellcheck is not installed (apt-get install shellcheck)');
    console.warn('      skipped: shellcheck is not installed (apt-get install shellcheck)');
    this.skip();
  });

  for (const { file, source } of loadWorkflows()) {
    it(`${file}: actionlint and shellcheck find nothing`, async () => {
      const findings = [...(await actionlintFindings(file, source)), ...shellcheckFindings(file, source)];
      expect(summary(findings)).to.deep.equal([]);
    });
  }

  const cases: { name: string; steps: string; tool: Finding['tool']; line: number; message: RegExp }[] = [
    {
      name: 'a configuration variable GitHub refuses to store (GITHUB_ prefix)',
      steps: '      - run: echo ok\n        env:\n          ARN: ${{ vars.GITHUB_OIDC_PROVIDER_ARN }}\n',
      tool: 'actionlint',
      line: 8,
      message: /must not start with the GITHUB_ prefix/,
    },
    {
      name: 'untrusted event text written into a script',
      steps: '      - run: echo "${{ github.event.head_commit.message }}"\n',
      tool: 'actionlint',
      line: 6,
      message: /potentially untrusted/,
    },
    {
      name: 'an unquoted variable in a block script, on its own line',
      steps: '      - name: copy\n        run: |\n          mkdir -p out\n          cp $SOURCE out/\n',
      tool: 'shellcheck',
      line: 9,
      message: /^SC2086 /,
    },
    {
      name: 'a word-split expression result in a one-line script',
      steps: '      - run: for f in $(ls *.json); do echo "$f"; done\n',
      tool: 'shellcheck',
      line: 6,
      message: /^SC2045 /,
    },
  ];
  for (const { name, steps, tool, line, message } of cases) {
    it(`reports ${name} (${tool}), at its line`, async () => {
      const source = workflow(steps);
      const findings =
        tool === 'actionlint'
          ? await actionlintFindings('x.yml', source)
          : shellcheckFindings('x.yml', source);
      expect(findings.map((f) => f.line)).to.include(line);
      expect(
        findings.some((f) => f.line === line && message.test(f.message)),
        JSON.stringify(findings),
      ).to.equal(true);
    });
  }

  it('uses the shell a step, its job or the workflow names, and leaves other shells alone', () => {
    const scripts = runScripts(
      `defaults:\n  run:\n    shell: sh\n${workflow('      - run: a\n      - run: b\n        shell: bash\n      - run: c\n        shell: pwsh\n')}`,
    );
    expect(scripts.map((s) => [s.script, s.shell])).to.deep.equal([
      ['a', 'sh'],
      ['b', 'bash'],
    ]);
  });

  it('replaces each expression by underscores of its length, as actionlint does', () => {
    expect(withoutExpressions('echo ${{ a }} and ${{ b || c }}')).to.equal(
      `echo ${'_'.repeat(8)} and ${'_'.repeat(13)}`,
    );
  });
});
