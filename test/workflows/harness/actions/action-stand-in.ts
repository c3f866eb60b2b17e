import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { RepositoryInfo, TriggeredEvent } from '../events';
import type { Permissions } from '../permissions';

/**
 * What a `uses:` stand-in gets, and how it answers: like a JavaScript action, it reads its inputs
 * (defaults from its own action.yml, declared in `inputs`), sees the step's environment, and writes
 * outputs, variables and PATH entries through the runner's files, as `@actions/core` does. Throwing
 * fails the step, as `core.setFailed` does.
 */
export interface JobFacts {
  readonly workspace: string;
  readonly temp: string;
  readonly toolCache: string;
  readonly home: string;
  readonly event: TriggeredEvent;
  readonly repository: RepositoryInfo;
  /** github.token for this job. */
  readonly token: string;
  readonly permissions: Permissions;
}

/** What the machine offers the stand-ins: the things a GitHub-hosted runner reaches over the network. */
export interface RunnerServices {
  /** A path git can clone the repository from (GitHub's remote, here a local repository). */
  readonly cloneUrl: string;
  readonly artifactsDir: string;
  /** Terraform 1.11.4 and the folder holding registry.terraform.io/hashicorp/aws. */
  readonly terraform: { readonly binary: string; readonly pluginDir: string };
  /** What AWS itself does but moto does not: the trust-policy check of AssumeRoleWithWebIdentity. */
  readonly webIdentityTrust?: (roleArn: string, token: string) => Promise<TrustDecision>;
}

export interface TrustDecision {
  readonly allowed: boolean;
  /** Why, in one line (the subject, the statement that matched or did not). */
  readonly reason: string;
}

export interface ActionRun {
  readonly inputs: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  readonly job: JobFacts;
  readonly services: RunnerServices;
  log(line: string): void;
}

export interface ActionStandIn {
  /** `owner/repo` as written before the `@` in `uses:`. */
  readonly action: string;
  /** Each input's default from the real action's action.yml; undefined when it has none. */
  readonly inputs: Readonly<Record<string, string | undefined>>;
  run(run: ActionRun): Promise<void>;
}

/** `core.setFailed`: the message becomes the step's error annotation. */
export class ActionFailure extends Error {}

function appendDelimited(file: string | undefined, name: string, value: string): void {
  if (!file) throw new Error('the runner gave the action no file command path');
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

export const setOutput = (run: ActionRun, name: string, value: string) =>
  appendDelimited(run.env.GITHUB_OUTPUT, name, value);

export const exportVariable = (run: ActionRun, name: string, value: string) =>
  appendDelimited(run.env.GITHUB_ENV, name, value);

export function addPath(run: ActionRun, dir: string): void {
  if (!run.env.GITHUB_PATH) throw new Error('the runner gave the action no GITHUB_PATH');
  appendFileSync(run.env.GITHUB_PATH, `${dir}\n`);
}

export const booleanInput = (run: ActionRun, name: string) =>
  run.inputs[name]?.trim().toLowerCase() === 'true';
