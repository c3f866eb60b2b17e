// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions are literal ${{ ... }} strings in workflow YAML.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { checkGithubSettings } from '../../.github/scripts/check-github-settings';
import { upsertComment } from '../../.github/scripts/lib/sticky-comment';
import { loadWorkflowFiles, workflowVariables } from '../../.github/scripts/lib/workflow-variables';
import {
  type EnvironmentState,
  type GitHubApiStandIn,
  type GitHubState,
  startGitHubApiStandIn,
} from '../support/github-api-stand-in';
import { REPO_ROOT } from '../support/repo-root';

const ARN = (role: string) => `arn:aws:iam::123456789012:role/${role}`;
const TOKEN = 'ghs_stand-in-token';

/** A repository set up as docs/ci-cd.md says; each test breaks one thing. */
function configured(): GitHubState {
  return {
    owner: 'acme',
    repo: 'item-api',
    tokens: { [TOKEN]: 'write', read_only: 'read' },
    environments: [
      {
        name: 'dev',
        deploymentBranches: [{ name: 'main', type: 'branch' }],
        variables: { AWS_DEPLOY_ROLE_ARN: ARN('item-api-github-deploy-dev'), SMOKE_ITEM_ID: 'hello' },
      },
      {
        name: 'prod',
        reviewers: [{ type: 'User', login: 'release-manager' }],
        preventSelfReview: true,
        deploymentBranches: [
          { name: 'main', type: 'branch' },
          { name: 'v*', type: 'tag' },
        ],
        variables: { AWS_DEPLOY_ROLE_ARN: ARN('item-api-github-deploy-prod') },
      },
    ],
    // Pagination: the ones that matter come after a page of others.
    variables: {
      ...Object.fromEntries(Array.from({ length: 35 }, (_, i) => [`AAA_OTHER_${i}`, 'x'])),
      AWS_REGION: 'eu-west-1',
      AWS_PLAN_ROLE_ARN: ARN('item-api-github-plan'),
      TF_STATE_BUCKET: 'acme-item-api-tfstate',
    },
    comments: {},
  };
}

/** An Environment of the state, to break in place. */
const environment = (state: GitHubState, name: string) =>
  state.environments.find((e) => e.name === name) as {
    -readonly [K in keyof EnvironmentState]: EnvironmentState[K];
  };

describe('npm run check:github-settings, against a stand-in of the GitHub REST API', function () {
  this.timeout(30_000);
  let api: GitHubApiStandIn | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  async function check(state: GitHubState, token = TOKEN) {
    api = await startGitHubApiStandIn(state);
    const lines: string[] = [];
    const status = await checkGithubSettings(
      { GITHUB_REPOSITORY: 'acme/item-api', GITHUB_TOKEN: token, GITHUB_API_URL: api.url },
      (line) => lines.push(line),
    );
    return {
      status,
      lines,
      missing: lines.filter((l) => l.startsWith('missing')),
      warnings: lines.filter((l) => l.startsWith('warning')),
    };
  }

  it('passes a repository set up as the docs say, reading every page of variables', async () => {
    const { status, missing, warnings, lines } = await check(configured());
    console.log(lines.map((line) => `      ${line}`).join('\n'));
    expect(missing).to.deep.equal([]);
    expect(warnings).to.deep.equal([]);
    expect(status).to.equal(0);
    expect(api?.requests.map((r) => r.path)).to.include(
      '/repos/acme/item-api/actions/variables?per_page=30&page=2',
    );
  });

  const cases: {
    name: string;
    breakIt: (state: GitHubState) => void;
    says: RegExp;
    level?: 'missing' | 'warning';
  }[] = [
    {
      name: 'an Environment the workflows deploy to does not exist',
      breakIt: (s) => s.environments.splice(1, 1),
      says: /^missing +environment prod: does not exist/,
    },
    {
      name: 'dev lets any branch deploy (GitHub then issues its OIDC subject to any branch)',
      breakIt: (s) => Object.assign(environment(s, 'dev'), { deploymentBranches: undefined }),
      says: /^missing +environment dev: any branch may deploy to it/,
    },
    {
      name: 'a wildcard rule lets every branch deploy',
      breakIt: (s) =>
        Object.assign(environment(s, 'dev'), { deploymentBranches: [{ name: '*', type: 'branch' }] }),
      says: /^missing +environment dev: the rule \* lets every ref deploy/,
    },
    {
      name: 'prod has no required reviewers',
      breakIt: (s) => Object.assign(environment(s, 'prod'), { reviewers: [] }),
      says: /^missing +environment prod: no required reviewers/,
    },
    {
      name: 'prod allows protected branches only, so a release tag cannot deploy',
      breakIt: (s) => Object.assign(environment(s, 'prod'), { deploymentBranches: 'protected' }),
      says: /^warning +environment prod: protected branches only, so release tags cannot deploy/,
      level: 'warning',
    },
    {
      name: 'a variable a workflow reads is not set anywhere',
      breakIt: (s) => delete s.variables.TF_STATE_BUCKET,
      says: /^missing +repository variable TF_STATE_BUCKET is not set/,
    },
    {
      name: 'an Environment still uses the shared deploy role from the repository variable',
      breakIt: (s) => {
        s.variables.AWS_DEPLOY_ROLE_ARN = ARN('item-api-github-deploy');
        environment(s, 'prod').variables = {};
      },
      says: /^missing +environment prod: AWS_DEPLOY_ROLE_ARN falls back to the repository variable and names the role item-api-github-deploy, not item-api-github-deploy-prod/,
    },
    {
      name: "dev's Environment names prod's role",
      breakIt: (s) =>
        Object.assign(environment(s, 'dev'), {
          variables: { AWS_DEPLOY_ROLE_ARN: ARN('item-api-github-deploy-prod') },
        }),
      says: /^missing +environment dev: AWS_DEPLOY_ROLE_ARN is set in the environment and names the role item-api-github-deploy-prod/,
    },
  ];
  for (const { name, breakIt, says, level = 'missing' } of cases) {
    it(`says so when ${name}`, async () => {
      const state = configured();
      breakIt(state);
      const result = await check(state);
      expect(
        result[level === 'missing' ? 'missing' : 'warnings'].some((line) => says.test(line)),
        result.lines.join('\n'),
      ).to.equal(true);
      expect(result.status).to.equal(level === 'missing' ? 1 : 0);
    });
  }

  it('an empty repository lacks every Environment and required variable, and no optional one', async () => {
    const { status, missing, lines } = await check({ ...configured(), environments: [], variables: {} });
    expect(status).to.equal(1);
    expect(missing.map((l) => l.replace(/^missing +/, ''))).to.have.members([
      'environment dev: does not exist (Settings → Environments → New environment)',
      'environment prod: does not exist (Settings → Environments → New environment)',
      'variable of environment dev (or of the repository) AWS_DEPLOY_ROLE_ARN is not set',
      'variable of environment prod (or of the repository) AWS_DEPLOY_ROLE_ARN is not set',
      'repository variable AWS_PLAN_ROLE_ARN is not set',
      'variable of environment dev (or of the repository) AWS_REGION is not set',
      'variable of environment prod (or of the repository) AWS_REGION is not set',
      'repository variable AWS_REGION is not set',
      'repository variable TF_STATE_BUCKET is not set',
      'variable of environment dev (or of the repository) TF_STATE_BUCKET is not set',
      'variable of environment prod (or of the repository) TF_STATE_BUCKET is not set',
    ]);
    expect(lines.filter((l) => l.includes('(optional)')).length).to.be.greaterThan(3);
  });

  it('stops with GitHub’s answer when the token is refused', async () => {
    const error = await check(configured(), 'wrong').catch((e: unknown) => e);
    expect(String(error)).to.match(/answered 401: \{"message":"Bad credentials"/);
  });

  it('runs as an npm script and exits 1 when something is missing', async () => {
    const state = configured();
    environment(state, 'prod').reviewers = [];
    api = await startGitHubApiStandIn(state);
    // Asynchronously: the stand-in answers from this process.
    const env = {
      PATH: process.env.PATH,
      GITHUB_REPOSITORY: 'acme/item-api',
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: api.url,
    };
    const script = path.join(REPO_ROOT, '.github/scripts/check-github-settings.ts');
    const result = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, env }, (error, stdout) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stdout }),
      );
    });
    expect(result.stdout).to.match(/^missing +environment prod: no required reviewers$/m);
    expect(result.status).to.equal(1);
  });
});

describe('the variables the workflows read, from the workflow files', () => {
  it('are the ones docs/ci-cd.md tells teams to set, each required or optional', () => {
    const variables = workflowVariables(loadWorkflowFiles(path.join(REPO_ROOT, '.github', 'workflows')));
    expect(Object.fromEntries(variables.map((v) => [v.name, v.optional]))).to.deep.equal({
      AWS_DEPLOY_ROLE_ARN: false,
      AWS_PLAN_ROLE_ARN: false,
      AWS_REGION: false,
      BOOTSTRAP_APIGATEWAY_LOGS_ROLE: true,
      BOOTSTRAP_OIDC_PROVIDER_ARN: true,
      BOOTSTRAP_SHARED_DEPLOY_ROLE: true,
      SMOKE_ITEM_ID: true,
      TF_STATE_BUCKET: false,
    });
  });

  it('follow a new read: a job in an Environment given by a caller, in an if:, optional only with ||', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workflows-'));
    try {
      writeFileSync(
        path.join(dir, 'call.yml'),
        "on: push\njobs:\n  a:\n    if: vars.GATE == 'on'\n    uses: ./.github/workflows/stage.yml\n    with:\n      stage: qa\n",
      );
      writeFileSync(
        path.join(dir, 'stage.yml'),
        'on:\n  workflow_call:\n    inputs:\n      stage: {type: string}\njobs:\n  s:\n    environment: ${{ inputs.stage }}\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ vars.NEW_ONE }} ${{ vars.MAYBE || \'x\' }} vars.NOT_AN_EXPRESSION"\n',
      );
      const variables = workflowVariables(loadWorkflowFiles(dir));
      expect(variables).to.deep.equal([
        { name: 'GATE', optional: false, reads: [{ workflow: 'call.yml', job: 'a' }] },
        { name: 'MAYBE', optional: true, reads: [{ workflow: 'stage.yml', job: 's', environments: ['qa'] }] },
        {
          name: 'NEW_ONE',
          optional: false,
          reads: [{ workflow: 'stage.yml', job: 's', environments: ['qa'] }],
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the GitHub API stand-in, for sticky comments', () => {
  it('creates the comment once, edits it on the next push, refuses a read-only token and a body over 65,536', async () => {
    const api = await startGitHubApiStandIn({
      ...configured(),
      comments: { 7: [{ id: 1, body: 'LGTM', user: { login: 'dev', type: 'User' } }] },
    });
    try {
      const options = {
        apiUrl: api.url,
        repository: 'acme/item-api',
        issueNumber: 7,
        token: TOKEN,
        marker: '<!-- m -->',
      };
      expect(await upsertComment({ ...options, body: '<!-- m -->\none' })).to.deep.include({
        action: 'created',
      });
      expect(await upsertComment({ ...options, body: '<!-- m -->\ntwo' })).to.deep.include({
        action: 'updated',
      });
      expect(api.state.comments[7]?.map((c) => c.body)).to.deep.equal(['LGTM', '<!-- m -->\ntwo']);
      const readOnly = await upsertComment({
        ...options,
        token: 'read_only',
        marker: '<!-- n -->',
        body: 'x',
      }).catch((e: unknown) => e);
      expect(String(readOnly)).to.match(/answered 403: .*Resource not accessible by integration/);
      const tooLong = await upsertComment({ ...options, body: `<!-- m -->${'x'.repeat(65_536)}` }).catch(
        (e: unknown) => e,
      );
      expect(String(tooLong)).to.match(/answered 422: .*body is too long \(maximum is 65536 characters\)/);
    } finally {
      await api.close();
    }
  });
});
