import {
  ActionFailure,
  type ActionRun,
  type ActionStandIn,
  exportVariable,
  setOutput,
} from './action-stand-in';

/**
 * Stands in for aws-actions/configure-aws-credentials (v4), on its OIDC path: with `role-to-assume`
 * and the job's ACTIONS_ID_TOKEN_REQUEST_* variables (only a job with `id-token: write` has them)
 * it fetches the job's OIDC token for `audience` (default sts.amazonaws.com), calls STS
 * AssumeRoleWithWebIdentity at the job's AWS endpoint (moto, through AWS_ENDPOINT_URL) and exports
 * the session's keys, AWS_REGION and AWS_DEFAULT_REGION through GITHUB_ENV. Without a role or
 * without the token it falls back to the credentials already in the environment, finds none on a
 * GitHub-hosted runner and fails with the action's message.
 *
 * moto does not check the token or the role's trust policy, so before the call the harness
 * judges the trust as AWS would (RunnerServices.webIdentityTrust: the token's signature and
 * audience against the account's OIDC provider, the role's trust policy against the token's
 * claims, with test/deploy/iam-evaluator.ts). A refused job gets AWS's AccessDenied, as the action
 * reports it, and no credentials.
 *
 * What it cannot show: static keys, role chaining, session policies and tags, and the action's
 * retries (a refusal fails at once here; the real action retries it with backoff first).
 */
const NO_CREDENTIALS =
  'Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers';

async function idToken(run: ActionRun, audience: string): Promise<string> {
  const url = `${run.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${encodeURIComponent(audience)}`;
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${run.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  });
  if (!response.ok)
    throw new ActionFailure(
      `getIDToken call failed: Failed to get ID Token. Error Code : ${response.status}`,
    );
  return ((await response.json()) as { value: string }).value;
}

const xmlValue = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

async function assumeRoleWithWebIdentity(run: ActionRun, roleArn: string, token: string) {
  const endpoint = run.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new ActionFailure('the stand-in reaches STS only through AWS_ENDPOINT_URL (moto)');
  const body = new URLSearchParams({
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: roleArn,
    RoleSessionName: run.inputs['role-session-name'] || 'GitHubActions',
    WebIdentityToken: token,
    DurationSeconds: String(Number.parseInt(run.inputs['role-duration-seconds'] ?? '', 10) || 3600),
  });
  const response = await fetch(endpoint, { method: 'POST', body });
  const xml = await response.text();
  if (!response.ok) {
    throw new ActionFailure(
      `Could not assume role with OIDC: ${xmlValue(xml, 'Message') ?? response.status}`,
    );
  }
  return {
    accessKeyId: xmlValue(xml, 'AccessKeyId') as string,
    secretAccessKey: xmlValue(xml, 'SecretAccessKey') as string,
    sessionToken: xmlValue(xml, 'SessionToken') as string,
    assumedRoleId: xmlValue(xml, 'AssumedRoleId') as string,
  };
}

export const configureAwsCredentials: ActionStandIn = {
  action: 'aws-actions/configure-aws-credentials',
  inputs: {
    'aws-region': undefined,
    'role-to-assume': undefined,
    'aws-access-key-id': undefined,
    'aws-secret-access-key': undefined,
    'aws-session-token': undefined,
    'web-identity-token-file': undefined,
    'role-chaining': undefined,
    audience: 'sts.amazonaws.com',
    'http-proxy': undefined,
    'mask-aws-account-id': undefined,
    'role-duration-seconds': undefined,
    'role-external-id': undefined,
    'role-session-name': undefined,
    'role-skip-session-tagging': undefined,
    'inline-session-policy': undefined,
    'managed-session-policies': undefined,
    'output-credentials': undefined,
    'unset-current-credentials': undefined,
    'disable-retry': undefined,
    'retry-max-attempts': undefined,
    'special-characters-workaround': undefined,
  },
  async run(run: ActionRun) {
    const region = run.inputs['aws-region'] ?? '';
    if (region === '') throw new ActionFailure('Input required and not supplied: aws-region');
    if (!/^[a-z0-9-]+$/.test(region)) throw new ActionFailure(`Region is not valid: ${region}`);
    const role = run.inputs['role-to-assume'] ?? '';
    for (const unsupported of ['aws-access-key-id', 'web-identity-token-file', 'role-chaining'] as const) {
      if (run.inputs[unsupported]) throw new ActionFailure(`the stand-in does not model ${unsupported}`);
    }
    exportVariable(run, 'AWS_DEFAULT_REGION', region);
    exportVariable(run, 'AWS_REGION', region);
    const requestToken = run.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (role && !requestToken) {
      run.log(
        'It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission? ' +
          'If you are not trying to authenticate with OIDC and the action is working successfully, you can ignore this message.',
      );
    }
    if (!role || !requestToken) {
      // The runner's environment holds no AWS keys, so the SDK's credential chain finds nothing.
      if (!run.env.AWS_ACCESS_KEY_ID) throw new ActionFailure(NO_CREDENTIALS);
      throw new ActionFailure('the stand-in does not model credentials already in the environment');
    }
    const token = await idToken(run, run.inputs.audience ?? 'sts.amazonaws.com');
    if (!role.startsWith('arn:aws')) {
      throw new ActionFailure(
        'Source Account ID is needed if the Role Name is provided and not the Role Arn.',
      );
    }
    const trust = run.services.webIdentityTrust;
    if (trust === undefined) throw new ActionFailure('this run has no AWS account to assume roles in');
    const decision = await trust(role, token);
    run.log(`[harness] trust of ${role}: ${decision.reason}`);
    if (!decision.allowed) {
      throw new ActionFailure(
        'Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity',
      );
    }
    const session = await assumeRoleWithWebIdentity(run, role, token);
    run.log(`Authenticated as assumedRoleId ${session.assumedRoleId}`);
    exportVariable(run, 'AWS_ACCESS_KEY_ID', session.accessKeyId);
    exportVariable(run, 'AWS_SECRET_ACCESS_KEY', session.secretAccessKey);
    exportVariable(run, 'AWS_SESSION_TOKEN', session.sessionToken);
    setOutput(run, 'aws-account-id', role.split(':')[4] ?? '');
  },
};
