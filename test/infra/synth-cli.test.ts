import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { REPO_ROOT } from '../support/repo-root';

const run = promisify(execFile);

/** Settings a user might get wrong, all at once: each must be named once, at what to change. */
const HOSTILE_ENV = {
  GITHUB_OWNER: '-acme',
  TF_STATE_REGION: 'cn-north-1',
  ITEM_API_LOCAL_STATE: 'on',
  BOOTSTRAP_REMOTE_STATE: 'maybe',
};

const PROBLEMS = [
  '4 setting(s) to change; nothing was synthesized:',
  '- ITEM_API_LOCAL_STATE must be 1, true or yes, or 0, false or no (or empty), got "on"',
  '- TF_STATE_REGION is "cn-north-1", a region of the aws-cn partition (AWS China), which this stack does not handle: it deploys to the aws partition only (docs/deploy.md)',
  '- BOOTSTRAP_REMOTE_STATE must be 1, true or yes, or 0, false or no (or empty), got "maybe"',
  '- GITHUB_OWNER must be a GitHub user or organisation name, got "-acme"',
  'environments.* are set in infra/config.ts; UPPER_CASE names are environment variables.',
];

/** Runs a command from the repository root; resolves with its exit code and output either way. */
function command(file: string, args: string[], env: Record<string, string>, cwd = REPO_ROOT) {
  const cleaned = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !(name in HOSTILE_ENV) && !name.startsWith('CDKTF_')),
  );
  return run(file, args, {
    cwd,
    env: { ...cleaned, CHECKPOINT_DISABLE: '1', ...env },
    maxBuffer: 64 << 20,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/** An output folder holding what an earlier synth left, which a refused synth must not leave behind. */
function staleOutput(): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'item-api-synth-'));
  mkdirSync(path.join(outdir, 'stacks', 'dev'), { recursive: true });
  writeFileSync(path.join(outdir, 'stacks', 'dev', 'cdk.tf.json'), '{}');
  writeFileSync(path.join(outdir, 'manifest.json'), '{"stacks":{"dev":{}}}');
  return outdir;
}

/** cdktf's output without its colours and cursor moves. */
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');
const withoutColour = (text: string) => text.replace(ANSI_ESCAPE, '');

describe('synth refuses invalid settings: each problem once, at what to change, no stack trace, no stack written', function () {
  this.timeout(180_000);
  const outdirs: string[] = [];
  after(() => {
    for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
  });

  it('npm run synth lists the problems once, exits 1, and builds and writes nothing', async () => {
    const outdir = staleOutput();
    outdirs.push(outdir);
    const result = await command('npm', ['run', '--silent', 'synth', '--', '--output', outdir], HOSTILE_ENV);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.equal(`npm run synth: ${PROBLEMS.join('\n')}\n`);
    expect(readdirSync(outdir), 'no manifest, no stacks').to.deep.equal([]);
  });

  it('npx cdktf synth (main.ts under cdktf) prints them once too, and exits 1 with no stack written', async () => {
    const outdir = staleOutput();
    outdirs.push(outdir);
    const result = await command(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'cdktf'),
      ['synth', '--output', outdir],
      HOSTILE_ENV,
    );
    const output = withoutColour(`${result.stdout}\n${result.stderr}`);
    expect(result.code).to.equal(1);
    for (const line of PROBLEMS) {
      expect(output.split('\n').filter((l) => l.trim() === line).length, line).to.equal(1);
    }
    expect(output).to.not.match(/^\s+at /m);
    expect(output).to.not.include('ConfigValidationError');
    expect(existsSync(path.join(outdir, 'manifest.json')), 'manifest').to.equal(false);
    expect(existsSync(path.join(outdir, 'stacks')), 'stacks').to.equal(false);
  });

  it('main.ts run directly prints them to stderr, exits 1, and leaves no cdktf.out in its working directory', async () => {
    const cwd = staleOutput();
    outdirs.push(cwd);
    mkdirSync(path.join(cwd, 'cdktf.out'));
    writeFileSync(path.join(cwd, 'cdktf.out', 'manifest.json'), '{}');
    const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const result = await command(tsx, [path.join(REPO_ROOT, 'main.ts')], HOSTILE_ENV, cwd);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(`${PROBLEMS.join('\n')}\n`);
    expect(readdirSync(path.join(cwd, 'cdktf.out'))).to.deep.equal([]);
  });
});
