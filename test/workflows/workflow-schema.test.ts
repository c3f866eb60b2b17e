import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { expect } from 'chai';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/repo-root';
import { loadWorkflows } from './workflow-files';

describe('GitHub Actions workflow files', () => {
  const workflows = loadWorkflows();

  it('exist for CI, pull request plans and deploys', () => {
    expect(workflows.map((w) => w.file)).to.include.members(['ci.yml', 'plan.yml', 'deploy.yml']);
  });

  for (const { file, source } of workflows) {
    it(`${file} validates against the GitHub Actions workflow schema`, () => {
      const { errors } = validateWorkflow(source);
      expect(errors, JSON.stringify(errors, null, 2)).to.deep.equal([]);
    });
  }

  it('the validator rejects a misspelt key, so a pass above means something', () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permisions: {}\n    steps:\n      - run: "true"\n';
    expect(validateWorkflow(broken).errors).to.not.be.empty;
  });

  it('dependabot updates npm packages and GitHub Actions weekly', () => {
    const config = parse(readFileSync(path.join(REPO_ROOT, '.github', 'dependabot.yml'), 'utf8')) as {
      version: number;
      updates: { 'package-ecosystem': string; schedule: { interval: string } }[];
    };
    expect(config.version).to.equal(2);
    const ecosystems = Object.fromEntries(
      config.updates.map((u) => [u['package-ecosystem'], u.schedule.interval]),
    );
    expect(ecosystems).to.deep.equal({ npm: 'weekly', 'github-actions': 'weekly' });
  });
});
