import type { DataAwsIamPolicyDocumentStatement as Statement } from '../toolchain';

/** Who may assume the CI roles (GitHub's OIDC tokens for this repository) and how the state is reached. */

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** GitHub's OIDC `sub` claims: a pull-request job, and a job bound to a GitHub Environment. */
export function pullRequestSubject(owner: string, repo: string): string {
  return `repo:${owner}/${repo}:pull_request`;
}

export function environmentSubject(owner: string, repo: string, environment: string): string {
  return `repo:${owner}/${repo}:environment:${environment}`;
}

/**
 * Web-identity trust for exactly these subjects. StringEquals, not StringLike: a wildcard subject
 * (`repo:o/r:*`) would let any branch or workflow of the repository assume the role.
 */
export function githubTrust(oidcProviderArn: string, subjects: readonly string[]): Statement[] {
  return [
    {
      sid: 'GitHubActionsOidc',
      effect: 'Allow',
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [{ type: 'Federated', identifiers: [oidcProviderArn] }],
      condition: [
        { test: 'StringEquals', variable: `${GITHUB_OIDC_HOST}:aud`, values: [STS_AUDIENCE] },
        { test: 'StringEquals', variable: `${GITHUB_OIDC_HOST}:sub`, values: [...subjects] },
      ],
    },
  ];
}

/** Deny every request to the state bucket that is not over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): Statement[] {
  return [
    {
      sid: 'DenyInsecureTransport',
      effect: 'Deny',
      actions: ['s3:*'],
      principals: [{ type: '*', identifiers: ['*'] }],
      resources: [bucketArn, `${bucketArn}/*`],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    },
  ];
}
