import type { GitHubSettings } from './github-state';

/**
 * What happens before a job that names an `environment:` gets a runner: GitHub creates the
 * environment if it does not exist, refuses a ref its deployment branch rules exclude, and holds
 * the job until one of its required reviewers approves (or rejects) the deployment. Until then the
 * job has no runner, no token and no OIDC token. The test plays the reviewers from
 * `onReviewRequested` (WorkflowWorld.review); with no one to review, the job never starts.
 *
 * What it cannot show: wait timers and custom deployment protection rules (not modelled), team
 * reviewers (a reviewer is matched by login only, so a team's members cannot approve), and
 * GitHub's 30-day review timeout (30 s here, so a test that forgets to review fails quickly).
 */
export interface ReviewRequest {
  readonly runId: number;
  readonly jobKey: string;
  readonly environment: string;
}

export type ReviewHook = (request: ReviewRequest) => Promise<void> | void;

export type GateResult =
  | { readonly open: true; readonly reviewedBy?: string }
  | { readonly open: false; readonly reason: string };

export async function passEnvironmentGate(options: {
  settings: GitHubSettings;
  name: string;
  ref: string;
  runId: number;
  actor: string;
  jobKey: string;
  onReviewRequested?: ReviewHook;
}): Promise<GateResult> {
  const { settings, name } = options;
  const refusal = settings.deploymentRefusal(name, options.ref);
  if (refusal !== undefined) return { open: false, reason: refusal };
  if ((settings.environment(name).reviewers ?? []).length === 0) return { open: true };

  const decision = settings.waitForReview(options.runId, name, options.actor);
  if (options.onReviewRequested === undefined) {
    return { open: false, reason: `Waiting for a review of ${name}, and nobody reviews in this run` };
  }
  await options.onReviewRequested({ runId: options.runId, jobKey: options.jobKey, environment: name });
  const state = await Promise.race([
    decision,
    new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), 30_000).unref()),
  ]);
  const deployment = settings.pendingDeployments.find(
    (d) => d.runId === options.runId && d.environment === name,
  );
  if (state === 'approved') return { open: true, reviewedBy: deployment?.reviewedBy };
  return {
    open: false,
    reason:
      state === 'rejected'
        ? `The deployment to ${name} was rejected by ${deployment?.reviewedBy}`
        : `Nobody reviewed the deployment to ${name}`,
  };
}
