import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fullName } from './events';
import type { EnvironmentSettings, GitHubState, IssueComment, TokenOwner } from './github-state';

/**
 * A local stand-in of GitHub's REST API (api.github.com), for the calls this project's workflows
 * make and the reviews a protected environment waits for:
 *
 * - issue comments: list (paged, `per_page` ≤ 100), create, update; a body over 65,536 characters
 *   is refused with 422, a job token without `pull-requests: write` (or `issues: write`) with 403
 *   "Resource not accessible by integration", an unknown token with 401;
 * - environments, repository and environment variables: read;
 * - pending deployments of a run: list, and approve or reject as a required reviewer.
 *
 * Responses carry the fields of GitHub's JSON that callers read. What it cannot show: rate limits,
 * secondary abuse limits, eventual consistency of a just-written comment, and GitHub's Markdown
 * rendering of the body.
 */
export const MAX_COMMENT_LENGTH = 65_536;

type Handler = (request: ApiRequest) => { status: number; body: unknown };

interface ApiRequest {
  readonly method: string;
  readonly params: string[];
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  readonly owner: TokenOwner;
}

const commentJson = (c: IssueComment, base: string) => ({
  id: c.id,
  body: c.body,
  user: c.user,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
  html_url: `https://github.com/${base}/pull/${c.issueNumber}#issuecomment-${c.id}`,
});

const environmentJson = (e: EnvironmentSettings) => ({
  id: e.id,
  name: e.name,
  protection_rules: [
    ...(e.reviewers.length > 0
      ? [
          {
            type: 'required_reviewers',
            reviewers: e.reviewers.map(({ type, login }) => ({ type, reviewer: { login, type } })),
          },
        ]
      : []),
    ...(e.deploymentBranches ? [{ type: 'branch_policy' }] : []),
  ],
  deployment_branch_policy: e.deploymentBranches
    ? {
        protected_branches: e.deploymentBranches === 'protected',
        custom_branch_policies: e.deploymentBranches !== 'protected',
      }
    : null,
});

const variablesJson = (variables: Map<string, string>) => ({
  total_count: variables.size,
  variables: [...variables].map(([name, value]) => ({ name, value })),
});

function routes(state: GitHubState): [string, RegExp, Handler][] {
  const repo = fullName(state.repository);
  const r = `/repos/${repo}`;
  const forbidden = { status: 403, body: { message: 'Resource not accessible by integration' } };
  return [
    [
      'GET',
      new RegExp(`^${r}/issues/(\\d+)/comments$`),
      ({ params, query }) => {
        const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
        const page = Number(query.get('page') ?? 1);
        const all = state.commentsOn(Number(params[0]));
        return {
          status: 200,
          body: all.slice((page - 1) * perPage, page * perPage).map((c) => commentJson(c, repo)),
        };
      },
    ],
    [
      'POST',
      new RegExp(`^${r}/issues/(\\d+)/comments$`),
      ({ params, body, owner }) => {
        if (!state.canComment(owner)) return forbidden;
        const text = String(body.body ?? '');
        if (text.length > MAX_COMMENT_LENGTH) return tooLong();
        return { status: 201, body: commentJson(state.addComment(Number(params[0]), text, owner), repo) };
      },
    ],
    [
      'PATCH',
      new RegExp(`^${r}/issues/comments/(\\d+)$`),
      ({ params, body, owner }) => {
        if (!state.canComment(owner)) return forbidden;
        const comment = state.comments.find((c) => c.id === Number(params[0]));
        if (comment === undefined) return { status: 404, body: { message: 'Not Found' } };
        const text = String(body.body ?? '');
        if (text.length > MAX_COMMENT_LENGTH) return tooLong();
        comment.body = text;
        comment.updatedAt = new Date().toISOString();
        return { status: 200, body: commentJson(comment, repo) };
      },
    ],
    [
      'GET',
      new RegExp(`^${r}/environments$`),
      () => {
        const environments = [...state.environments.values()].map(environmentJson);
        return { status: 200, body: { total_count: environments.length, environments } };
      },
    ],
    [
      'GET',
      new RegExp(`^${r}/environments/([^/]+)$`),
      ({ params }) => {
        const found = state.environments.get(decodeURIComponent(params[0] ?? '').toLowerCase());
        return found
          ? { status: 200, body: environmentJson(found) }
          : { status: 404, body: { message: 'Not Found' } };
      },
    ],
    [
      'GET',
      new RegExp(`^${r}/actions/variables$`),
      () => ({ status: 200, body: variablesJson(state.variables) }),
    ],
    [
      'GET',
      new RegExp(`^${r}/environments/([^/]+)/variables$`),
      ({ params }) => {
        const found = state.environments.get(decodeURIComponent(params[0] ?? '').toLowerCase());
        return found
          ? { status: 200, body: variablesJson(found.variables) }
          : { status: 404, body: { message: 'Not Found' } };
      },
    ],
    [
      'GET',
      new RegExp(`^${r}/actions/runs/(\\d+)/pending_deployments$`),
      ({ params, owner }) => ({
        status: 200,
        body: state.pendingDeployments
          .filter((d) => d.runId === Number(params[0]) && d.state === 'waiting')
          .map((d) => ({
            environment: { id: d.environment.id, name: d.environment.name },
            wait_timer: 0,
            current_user_can_approve:
              owner.kind === 'user' && d.environment.reviewers.some((r) => r.login === owner.login),
            reviewers: d.environment.reviewers.map(({ type, login }) => ({
              type,
              reviewer: { login, type },
            })),
          })),
      }),
    ],
    [
      'POST',
      new RegExp(`^${r}/actions/runs/(\\d+)/pending_deployments$`),
      ({ params, body, owner }) => {
        if (owner.kind !== 'user') return forbidden;
        const state_ = body.state === 'approved' || body.state === 'rejected' ? body.state : undefined;
        if (state_ === undefined)
          return { status: 422, body: { message: 'state must be approved or rejected' } };
        const ids = Array.isArray(body.environment_ids) ? body.environment_ids.map(Number) : [];
        const error = state.review(Number(params[0]), ids, state_, owner.login);
        return error ? { status: 422, body: { message: error } } : { status: 200, body: [] };
      },
    ],
  ];
}

const tooLong = () => ({
  status: 422,
  body: {
    message: 'Validation Failed',
    errors: [
      {
        resource: 'IssueComment',
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${MAX_COMMENT_LENGTH} characters)`,
      },
    ],
  },
});

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export interface GitHubApiStandIn {
  readonly url: string;
  /** Every request, in order, as `METHOD /path status`. */
  readonly requests: string[];
  stop(): Promise<void>;
}

export async function startGitHubApi(state: GitHubState): Promise<GitHubApiStandIn> {
  const table = routes(state);
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) => {
      requests.push(`${req.method} ${url.pathname} ${status}`);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };
    const token = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const owner = state.tokenOwner(token);
    if (owner === undefined) return send(401, { message: 'Bad credentials' });
    const route = table.find(([method, pattern]) => method === req.method && pattern.test(url.pathname));
    if (route === undefined) return send(404, { message: 'Not Found' });
    readJson(req).then(
      (body) => {
        const params = (route[1].exec(url.pathname) ?? []).slice(1);
        const answer = route[2]({
          method: req.method ?? 'GET',
          params,
          query: url.searchParams,
          body,
          owner,
        });
        send(answer.status, answer.body);
      },
      () => send(400, { message: 'Problems parsing JSON' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
