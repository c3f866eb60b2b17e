import path from 'node:path';
import { deployRoleName } from '../../infra/bootstrap/bootstrap-config';
import { runWhenMain } from '../../scripts/lib/cli';
import { REPO_ROOT } from '../../scripts/lib/paths';
import { githubApi } from './lib/github-api';
import { type Expectations, judgeSettings, readSettings } from './lib/github-settings';
import { environmentUses, loadWorkflowFiles, workflowVariables } from './lib/workflow-variables';

/**
 * `npm run check:github-settings`: reads the repository's settings through GitHub's REST API
 * (GITHUB_REPOSITORY, GITHUB_TOKEN, optional GITHUB_API_URL) and says what the workflows need and
 * do not have: Environments, their deployment-branch rules and reviewers, and the variables the
 * workflow files read. Exit code 1 when anything is missing.
 */

/** Environments a person must approve before the job gets credentials. */
const REVIEWED_ENVIRONMENTS = ['prod'];

export async function checkGithubSettings(
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
): Promise<number> {
  const repository = env.GITHUB_REPOSITORY;
  const token = env.GITHUB_TOKEN;
  if (!repository || !/^[^/]+\/[^/]+$/.test(repository) || !token) {
    throw new Error(
      'set GITHUB_REPOSITORY (owner/repo) and GITHUB_TOKEN (a token that may read the repository settings)',
    );
  }
  const workflows = loadWorkflowFiles(path.join(REPO_ROOT, '.github', 'workflows'));
  const expect: Expectations = {
    variables: workflowVariables(workflows),
    environments: environmentUses(workflows),
    reviewed: REVIEWED_ENVIRONMENTS,
    mainBranch: 'main',
    deployRoleName: (environment) => deployRoleName('item-api', environment),
  };
  const api = githubApi({ apiUrl: env.GITHUB_API_URL || 'https://api.github.com', token });
  const findings = judgeSettings(await readSettings(api, repository), expect);
  for (const finding of findings) write(`${finding.level.padEnd(7)} ${finding.message}`);
  const count = (level: string) => findings.filter((f) => f.level === level).length;
  write(`${repository}: ${count('missing')} missing, ${count('warning')} warning(s), ${count('ok')} ok`);
  return count('missing') > 0 ? 1 : 0;
}

runWhenMain(module, async () => {
  process.exitCode = await checkGithubSettings(process.env, (line) => console.log(line));
});
