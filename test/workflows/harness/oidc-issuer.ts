import { createSign, createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fullName, type RepositoryInfo, type TriggeredEvent } from './events';

/**
 * GitHub's OIDC token service for jobs with `permissions: id-token: write`: the runner gives such a
 * job ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, and `core.getIDToken(aud)`
 * GETs `<url>&audience=<aud>` with the request token as a bearer token, receiving `{ value: <JWT> }`.
 * A job without the permission gets neither variable, so no token at all.
 *
 * The claims are those GitHub issues (docs: "OpenID Connect reference"), `sub` built as GitHub
 * builds it by default: `repo:O/R:environment:E` for a job with an environment, else
 * `repo:O/R:pull_request` for a pull-request event, else `repo:O/R:ref:<ref>`; a `:` inside a value
 * becomes `%3A`. What it cannot show: the immutable `repo:O@id/R@id` subject format (opt-in, or
 * repositories created after July 2026) and customised subject templates; the token is signed with
 * a key made for the run, not GitHub's.
 */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface JobIdentity {
  readonly repository: RepositoryInfo;
  readonly event: TriggeredEvent;
  readonly runId: number;
  /** The workflow the run started from, as `O/R/.github/workflows/x.yml@<ref>`. */
  readonly workflowRef: string;
  readonly workflowName: string;
  /** The file the job is defined in (a called workflow's, for its jobs). */
  readonly jobWorkflowRef: string;
  readonly environment?: string;
}

const escapeColon = (value: string) => value.replaceAll(':', '%3A');

export function subjectClaim(job: JobIdentity): string {
  const repo = `repo:${fullName(job.repository)}`;
  if (job.environment !== undefined) return `${repo}:environment:${escapeColon(job.environment)}`;
  if (job.event.name === 'pull_request') return `${repo}:pull_request`;
  return `${repo}:ref:${escapeColon(job.event.ref)}`;
}

export function claimsFor(job: JobIdentity, audience: string, now = Math.floor(Date.now() / 1000)) {
  const { event, repository } = job;
  return {
    jti: randomUUID(),
    sub: subjectClaim(job),
    aud: audience,
    ref: event.ref,
    sha: event.sha,
    repository: fullName(repository),
    repository_id: String(repository.id),
    repository_owner: repository.owner,
    repository_owner_id: String(repository.ownerId),
    repository_visibility: 'public',
    run_id: String(job.runId),
    run_number: '1',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    actor: event.actor,
    actor_id: '1001',
    workflow: job.workflowName,
    workflow_ref: job.workflowRef,
    workflow_sha: event.sha,
    job_workflow_ref: job.jobWorkflowRef,
    job_workflow_sha: event.sha,
    head_ref: event.headRef ?? '',
    base_ref: event.baseRef ?? '',
    event_name: event.name,
    ref_type: event.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    ...(job.environment !== undefined && { environment: job.environment }),
    iss: GITHUB_ISSUER,
    nbf: now - 5,
    iat: now,
    exp: now + 300,
  };
}

export type OidcClaims = ReturnType<typeof claimsFor>;

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export class OidcIssuer {
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly kid = randomUUID();
  private readonly jobs = new Map<string, JobIdentity>();
  /** Every token handed out, decoded, in order. */
  readonly issued: OidcClaims[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<OidcIssuer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const issuer = new OidcIssuer(server, `http://127.0.0.1:${port}/idtoken?api-version=2.0`);
    server.on('request', (req, res) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const job = token === undefined ? undefined : issuer.jobs.get(token);
      if (job === undefined) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
        return;
      }
      const audience =
        new URL(req.url ?? '/', 'http://x').searchParams.get('audience') ??
        `https://github.com/${job.repository.owner}`;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ value: issuer.sign(job, audience) }));
    });
    return issuer;
  }

  /** The two variables a job with `id-token: write` gets. */
  requestVariables(job: JobIdentity): {
    ACTIONS_ID_TOKEN_REQUEST_URL: string;
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: string;
  } {
    const token = randomUUID();
    this.jobs.set(token, job);
    return { ACTIONS_ID_TOKEN_REQUEST_URL: this.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token };
  }

  private sign(job: JobIdentity, audience: string): string {
    const claims = claimsFor(job, audience);
    this.issued.push(claims);
    const unsigned = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: this.kid }))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(unsigned).sign(this.keys.privateKey);
    return `${unsigned}.${base64url(signature)}`;
  }

  /** The claims of a token this issuer signed, or undefined for any other string (as AWS rejects it). */
  verify(token: string): OidcClaims | undefined {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return undefined;
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(this.keys.publicKey, Buffer.from(signature, 'base64url'));
    if (!valid) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as OidcClaims;
    return claims.exp > Date.now() / 1000 ? claims : undefined;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
