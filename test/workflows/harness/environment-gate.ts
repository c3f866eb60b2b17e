import type { EnvironmentSettings, GitHubState } from './github-state';

/**
 * What happens before a job that names an `environment:` gets a runner: GitHub creates the
 * environment if it does not exist, refuses a ref its deployment branch rules exclude, and holds
 * the job until one of its required reviewers approves (or rejects) the deployment. Until then the
 * job has no runner, no token and no OIDC token. The test plays the reviewers through the REST
 * API stand-in, from `onReviewRequested`; with no one to review, the job never starts.
 */
export interface ReviewRequest {
  readonly runId: number;
  readonly jobKey: string;
  readonly environment: EnvironmentSettings;
}

export type ReviewHook = (request: ReviewRequest) => Promise<void> | void;

export type GateResult =
  | { readonly open: true; readonly environment: EnvironmentSettings; readonly reviewedBy?: string }
  | { readonly open: false; readonly reason: string };

export async function passEnvironmentGate(options: {
  state: GitHubState;
  name: string;
  ref: string;
  runId: number;
  jobKey: string;
  onReviewRequested?: ReviewHook;
}): Promise<GateResult> {
  const environment = options.state.environment(options.name);
  const refusal = options.state.deploymentRefusal(environment, options.ref);
  if (refusal !== undefined) return { open: false, reason: refusal };
  if (environment.reviewers.length === 0) return { open: true, environment };

  const decision = options.state.waitForReview(options.runId, environment);
  if (options.onReviewRequested === undefined) {
    return {
      open: false,
      reason: `Waiting for a review of ${environment.name}, and nobody reviews in this run`,
    };
  }
  await options.onReviewRequested({ runId: options.runId, jobKey: options.jobKey, environment });
  const state = await Promise.race([
    decision,
    new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), 30_000).unref()),
  ]);
  const deployment = options.state.pendingDeployments.find(
    (d) => d.runId === options.runId && d.environment === environment,
  );
  if (state === 'approved') return { open: true, environment, reviewedBy: deployment?.reviewedBy };
  return {
    open: false,
    reason:
      state === 'rejected'
        ? `The deployment to ${environment.name} was rejected by ${deployment?.reviewedBy}`
        : `Nobody reviewed the deployment to ${environment.name}`,
  };
}
