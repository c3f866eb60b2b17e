import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findTerraform } from '../../../scripts/lib/find-terraform';
import { type GitHubApiStandIn, startGitHubApiStandIn } from '../../support/github-api-stand-in';
import type { RunnerServices, TrustDecision } from './actions/action-stand-in';
import { STAND_INS } from './actions/registry';
import type { ReviewHook } from './environment-gate';
import {
  pullRequestEvent,
  pushEvent,
  type RepositoryInfo,
  releaseEvent,
  type TriggeredEvent,
  workflowDispatchEvent,
} from './events';
import { GitHubSettings } from './github-state';
import { loadGitHubTooling } from './github-tooling';
import { OidcIssuer } from './oidc-issuer';
import { type FileChange, OriginRepository } from './origin-repository';
import { runLine, type WorkflowRun } from './run-records';
import { runnerMachineEnv } from './runner-machine';
import { runWorkflow, type WorkflowHost } from './workflow-runner';

/**
 * GitHub for one repository, `acme/item-api`, on this machine: the repository (origin-repository.ts),
 * its settings (github-state.ts) served by the REST API stand-in (test/support/github-api-stand-in.ts),
 * the OIDC token service, and
 * runners that execute the workflow files committed in it. Tests push commits, open pull requests
 * and publish releases; each returns the run of the workflow they name.
 *
 * The runner's environment is a GitHub-hosted runner's minus the internet (runner-machine.ts), plus
 * what the AWS side adds and says so (`machineEnv`): AWS_ENDPOINT_URL for the AWS emulator, which no
 * real runner has, and the route to deployed APIs.
 */
export const REPOSITORY: RepositoryInfo = {
  owner: 'acme',
  name: 'item-api',
  id: 424242,
  ownerId: 4242,
  defaultBranch: 'main',
};

export const FORK: RepositoryInfo = {
  ...REPOSITORY,
  owner: 'mallory',
  id: 666,
  ownerId: 66,
  forkOf: REPOSITORY,
};

export interface WorldOptions {
  /** Folder holding registry.terraform.io/hashicorp/aws (TF_PLUGIN_DIR). */
  readonly pluginDir: string;
  /** Added to every runner's environment (the AWS endpoint, the route to the deployed API). */
  readonly machineEnv?: Readonly<Record<string, string>>;
  /** AWS's trust check of AssumeRoleWithWebIdentity, given the issuer whose tokens it verifies. */
  readonly webIdentityTrust?: (
    issuer: OidcIssuer,
  ) => (roleArn: string, token: string) => Promise<TrustDecision>;
  /** @default a new temporary folder */
  readonly workRoot?: string;
  /** An emulator's need met before each step, e.g. its override beside each synthesized stack. */
  readonly beforeStep?: (workspace: string) => void;
  /** Called after each run, e.g. to stop what served it. */
  readonly afterRun?: () => Promise<void>;
}

export class WorkflowWorld {
  onReviewRequested?: ReviewHook;
  readonly runs: WorkflowRun[] = [];

  private constructor(
    readonly origin: OriginRepository,
    readonly settings: GitHubSettings,
    readonly api: GitHubApiStandIn,
    readonly oidc: OidcIssuer,
    private readonly host: WorkflowHost,
    private readonly afterRun?: () => Promise<void>,
  ) {}

  /** Where every job's folders are: workspaces, temp, and the runs' artifacts. */
  get workRoot(): string {
    return this.host.workRoot;
  }

  static async create(options: WorldOptions): Promise<WorkflowWorld> {
    await loadGitHubTooling();
    const terraform = findTerraform();
    if (terraform === undefined) throw new Error('terraform is not on PATH');
    const origin = OriginRepository.create();
    const settings = new GitHubSettings(REPOSITORY);
    const api = await startGitHubApiStandIn(settings.api);
    const oidc = await OidcIssuer.start();
    const services: Omit<RunnerServices, 'artifactsDir'> = {
      cloneUrl: `file://${origin.dir}`,
      terraform: { binary: terraform, pluginDir: options.pluginDir },
      webIdentityTrust: options.webIdentityTrust?.(oidc),
    };
    const host: WorkflowHost = {
      repository: REPOSITORY,
      readFile: (sha, file) => origin.readFile(sha, file),
      settings,
      apiUrl: api.url,
      oidc,
      services,
      runnerEnv: runnerMachineEnv(options.machineEnv),
      standIns: STAND_INS,
      workRoot: options.workRoot ?? mkdtempSync(path.join(tmpdir(), 'item-api-runners-')),
      beforeStep: options.beforeStep,
    };
    return new WorkflowWorld(origin, settings, api, oidc, host, options.afterRun);
  }

  async run(workflow: string, event: TriggeredEvent): Promise<WorkflowRun> {
    this.host.onReviewRequested = this.onReviewRequested;
    try {
      const run = await runWorkflow(this.host, `.github/workflows/${workflow}`, event);
      this.runs.push(run);
      console.log(`      [run ${run.runId}] ${runLine(run)}`);
      return run;
    } finally {
      await this.afterRun?.();
    }
  }

  /** A push of new commits to a branch of this repository (changes on top of its head, or of main). */
  push(branch: string, changes: Readonly<Record<string, FileChange>>, message: string): TriggeredEvent {
    const fullRef = `refs/heads/${branch}`;
    const before = this.origin.exists(fullRef) ? this.origin.sha(fullRef) : '0'.repeat(40);
    const after =
      Object.keys(changes).length > 0
        ? this.origin.commit(branch, changes, message)
        : this.origin.sha(fullRef);
    return pushEvent({ repository: REPOSITORY, branch, before, after, actor: 'octocat' });
  }

  /**
   * A pull request into main from a branch of this repository or of a fork: the branch gets a
   * commit, GitHub makes the merge commit, and the event says `opened` the first time.
   */
  pullRequest(options: {
    number: number;
    branch: string;
    changes: Readonly<Record<string, FileChange>>;
    fork?: boolean;
  }): TriggeredEvent {
    const headRepository = options.fork ? FORK : REPOSITORY;
    const ref = options.fork ? `refs/forks/${FORK.owner}/${options.branch}` : `refs/heads/${options.branch}`;
    const opened = !this.origin.exists(`refs/pull/${options.number}/head`);
    const headSha = this.origin.commit(ref, options.changes, `Change for #${options.number}`);
    const { mergeSha, baseSha } = this.origin.pullRequestRefs(options.number, headSha, 'main');
    return pullRequestEvent({
      repository: REPOSITORY,
      number: options.number,
      action: opened ? 'opened' : 'synchronize',
      headRepository,
      headBranch: options.branch,
      headSha,
      baseBranch: 'main',
      baseSha,
      mergeSha,
      actor: options.fork ? FORK.owner : 'octocat',
    });
  }

  /** Moves a branch back to an earlier commit, as a force-push does (no workflow runs). */
  resetBranch(branch: string, sha: string): void {
    this.origin.git('update-ref', `refs/heads/${branch}`, sha);
  }

  /** A release published from the head of `branch` by `actor`. */
  release(tag: string, actor = 'octocat', branch = 'main'): TriggeredEvent {
    const sha = this.origin.sha(branch);
    this.origin.tag(tag, sha);
    return releaseEvent({ repository: REPOSITORY, tag, sha, targetBranch: branch, actor });
  }

  dispatch(workflow: string, branch = 'main'): TriggeredEvent {
    return workflowDispatchEvent({
      repository: REPOSITORY,
      ref: `refs/heads/${branch}`,
      sha: this.origin.sha(branch),
      workflowPath: `.github/workflows/${workflow}`,
      actor: 'octocat',
    });
  }

  /**
   * A reviewer's answer to a deployment waiting in a run, as GitHub's review dialog (or POST
   * .../actions/runs/{run_id}/pending_deployments) records it: only a required reviewer may answer;
   * anyone else gets GitHub's 422, returned here as its message.
   */
  review(
    login: string,
    runId: number,
    environment: string,
    state: 'approved' | 'rejected',
  ): string | undefined {
    return this.settings.review(runId, environment, state, login);
  }

  async stop(): Promise<void> {
    await Promise.all([this.api.close(), this.oidc.stop()]);
    for (const dir of [this.host.workRoot, this.origin.dir]) rmSync(dir, { recursive: true, force: true });
  }
}
