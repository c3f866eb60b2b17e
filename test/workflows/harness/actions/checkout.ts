import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fullName } from '../events';
import {
  ActionFailure,
  type ActionRun,
  type ActionStandIn,
  booleanInput,
  setOutput,
} from './action-stand-in';

/**
 * Stands in for actions/checkout (v4): a fresh `git init` in the workspace, a shallow fetch of
 * exactly the event's commit (GITHUB_SHA: the test merge commit for a pull request, the pushed
 * commit, the release's tagged commit) and a checkout of it, on the branch for a push and detached
 * otherwise. With `persist-credentials` (the default) the job token stays in the clone's
 * `.git/config` as an `http.<server>/.extraheader`, as the real action leaves it; with `false` it
 * does not.
 *
 * What it cannot show: the clone comes from a local repository, not github.com, so it proves
 * nothing about network access, LFS, submodules, sparse checkout or fetching another repository.
 */
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

export const checkout: ActionStandIn = {
  action: 'actions/checkout',
  inputs: {
    repository: undefined,
    ref: undefined,
    token: undefined,
    'persist-credentials': 'true',
    path: undefined,
    clean: 'true',
    'fetch-depth': '1',
    'fetch-tags': 'false',
    'show-progress': 'true',
    lfs: 'false',
    submodules: 'false',
    'set-safe-directory': 'true',
    'sparse-checkout': undefined,
    'sparse-checkout-cone-mode': 'true',
    filter: undefined,
    'ssh-key': undefined,
    'ssh-known-hosts': undefined,
    'ssh-strict': 'true',
    'ssh-user': 'git',
    'github-server-url': undefined,
  },
  async run(run: ActionRun) {
    const { job } = run;
    const repository = run.inputs.repository || fullName(job.repository);
    if (repository !== fullName(job.repository)) {
      throw new ActionFailure(`the stand-in clones only ${fullName(job.repository)}, not ${repository}`);
    }
    if (run.inputs.ref) throw new ActionFailure('the stand-in checks out only the event commit (no `ref:`)');
    const dir = path.resolve(job.workspace, run.inputs.path ?? '.');
    mkdirSync(dir, { recursive: true });
    const { ref, sha } = job.event;
    const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
    const remoteRef = branch ? `refs/remotes/origin/${branch}` : ref.replace(/^refs\//, 'refs/remotes/');
    const depth = Number(run.inputs['fetch-depth'] ?? '1');
    git(dir, 'init', '-q');
    git(dir, 'remote', 'add', 'origin', run.services.cloneUrl);
    git(dir, 'config', '--local', 'gc.auto', '0');
    const token = run.inputs.token || job.token;
    const header = `http.https://github.com/.extraheader`;
    git(
      dir,
      'config',
      '--local',
      header,
      `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
    );
    run.log(`Fetching ${sha} (${ref}) from ${repository}`);
    git(
      dir,
      'fetch',
      '-q',
      '--no-tags',
      '--prune',
      ...(depth > 0 ? [`--depth=${depth}`] : []),
      'origin',
      `+${sha}:${remoteRef}`,
    );
    if (branch) git(dir, 'checkout', '-q', '--force', '-B', branch, remoteRef);
    else git(dir, 'checkout', '-q', '--force', remoteRef);
    if (!booleanInput(run, 'persist-credentials')) git(dir, 'config', '--local', '--unset-all', header);
    const commit = git(dir, 'rev-parse', 'HEAD');
    if (commit !== sha) throw new ActionFailure(`checked out ${commit}, expected ${sha}`);
    run.log(`HEAD is now at ${commit}`);
    setOutput(run, 'ref', ref);
    setOutput(run, 'commit', commit);
  },
};
