import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the parts of GitHub's REST API (api.github.com, version 2022-11-28) that this
 * project's tools call: the repository's deployment environments, their deployment-branch policies
 * and variables, the repository's Actions variables (and the organization's shared with it), and
 * issue comments (list, create, edit). It answers with the real API's shapes, status codes and
 * error bodies: pagination with `per_page`/`page` and a `Link` header, 401 without a valid token,
 * 403 when a read-only token writes (a fork's GITHUB_TOKEN), 404 for what does not exist, and 422
 * for a comment over 65,536 characters. What it cannot show: GitHub's permission model beyond
 * read/write tokens, rate limits, and anything not listed above (it answers 404).
 */

export interface BranchPolicyState {
  readonly name: string;
  readonly type: 'branch' | 'tag';
}

export interface EnvironmentState {
  readonly name: string;
  /** Required reviewers, by login (users) or slug (teams). */
  readonly reviewers?: readonly { readonly type: 'User' | 'Team'; readonly login: string }[];
  readonly preventSelfReview?: boolean;
  readonly waitTimerMinutes?: number;
  /** `protected`: protected branches only; a list: selected branches and tags; none: any ref. */
  readonly deploymentBranches?: 'protected' | readonly BranchPolicyState[];
  readonly variables?: Readonly<Record<string, string>>;
}

export interface IssueCommentState {
  readonly id: number;
  body: string;
  readonly user: { readonly login: string; readonly type: 'Bot' | 'User' };
}

export interface GitHubState {
  readonly owner: string;
  readonly repo: string;
  /** Accepted tokens and what they may do. */
  readonly tokens: Readonly<Record<string, 'read' | 'write'>>;
  readonly environments: EnvironmentState[];
  readonly variables: Record<string, string>;
  readonly organizationVariables?: Record<string, string>;
  /** Comments per issue (pull request) number. */
  readonly comments: Record<number, IssueCommentState[]>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

export interface GitHubApiStandIn {
  /** Base URL, for GITHUB_API_URL. */
  readonly url: string;
  readonly state: GitHubState;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const COMMENT_LIMIT = 65_536;
const TIME = '2026-01-01T00:00:00Z';

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const notFound = () => new ApiError(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });

function page<T>(url: URL, items: readonly T[], defaultSize: number, maxSize: number) {
  const size = Math.min(maxSize, Number(url.searchParams.get('per_page') ?? defaultSize) || defaultSize);
  const number = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / size));
  const link = (n: number, rel: string) => {
    const target = new URL(url);
    target.searchParams.set('per_page', String(size));
    target.searchParams.set('page', String(n));
    return `<${target}>; rel="${rel}"`;
  };
  const links = [
    ...(number < last ? [link(number + 1, 'next'), link(last, 'last')] : []),
    ...(number > 1 ? [link(1, 'first'), link(number - 1, 'prev')] : []),
  ];
  return { items: items.slice((number - 1) * size, number * size), link: links.join(', ') };
}

function environmentJson(state: GitHubState, env: EnvironmentState, index: number) {
  const id = 1_000 + index;
  const rules: Record<string, unknown>[] = [];
  if (env.waitTimerMinutes)
    rules.push({
      id: id * 10 + 1,
      node_id: `GA_${id}1`,
      type: 'wait_timer',
      wait_timer: env.waitTimerMinutes,
    });
  if (env.reviewers?.length) {
    rules.push({
      id: id * 10 + 2,
      node_id: `GA_${id}2`,
      prevent_self_review: env.preventSelfReview ?? false,
      type: 'required_reviewers',
      reviewers: env.reviewers.map((r, i) => ({
        type: r.type,
        reviewer:
          r.type === 'User'
            ? { login: r.login, id: 500 + i, type: 'User' }
            : { slug: r.login, name: r.login, id: 700 + i },
      })),
    });
  }
  if (env.deploymentBranches) rules.push({ id: id * 10 + 3, node_id: `GA_${id}3`, type: 'branch_policy' });
  const base = `https://api.github.com/repos/${state.owner}/${state.repo}/environments/${env.name}`;
  return {
    id,
    node_id: `EN_${id}`,
    name: env.name,
    url: base,
    html_url: `https://github.com/${state.owner}/${state.repo}/deployments/activity_log?environments_filter=${env.name}`,
    created_at: TIME,
    updated_at: TIME,
    can_admins_bypass: true,
    protection_rules: rules,
    deployment_branch_policy:
      env.deploymentBranches === undefined
        ? null
        : {
            protected_branches: env.deploymentBranches === 'protected',
            custom_branch_policies: env.deploymentBranches !== 'protected',
          },
  };
}

const variablesJson = (variables: Readonly<Record<string, string>>) =>
  Object.entries(variables)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value, created_at: TIME, updated_at: TIME }));

function commentJson(state: GitHubState, issue: number, comment: IssueCommentState) {
  const repo = `${state.owner}/${state.repo}`;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `https://api.github.com/repos/${repo}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${repo}/pull/${issue}#issuecomment-${comment.id}`,
    issue_url: `https://api.github.com/repos/${repo}/issues/${issue}`,
    body: comment.body,
    user: {
      login: comment.user.login,
      id: comment.user.type === 'Bot' ? 41898282 : 1,
      type: comment.user.type,
    },
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    created_at: TIME,
    updated_at: TIME,
  };
}

type Handler = (request: { url: URL; match: string[]; body: unknown; access: 'read' | 'write' }) => {
  status?: number;
  json: unknown;
  link?: string;
};

function routes(state: GitHubState): [string, RegExp, Handler][] {
  const env = (name: string) => {
    const index = state.environments.findIndex((e) => e.name === decodeURIComponent(name));
    if (index < 0) throw notFound();
    return { env: state.environments[index] as EnvironmentState, index };
  };
  const writable = (access: 'read' | 'write') => {
    if (access !== 'write')
      throw new ApiError(403, {
        message: 'Resource not accessible by integration',
        documentation_url: DOCS,
        status: '403',
      });
  };
  const commentBody = (body: unknown) => {
    const text = (body as { body?: unknown } | undefined)?.body;
    if (typeof text !== 'string')
      throw new ApiError(422, {
        message: 'Invalid request.\n\n"body" wasn\'t supplied.',
        documentation_url: DOCS,
        status: '422',
      });
    if (text.length > COMMENT_LIMIT) {
      throw new ApiError(422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${COMMENT_LIMIT} characters)`,
          },
        ],
        documentation_url: DOCS,
        status: '422',
      });
    }
    return text;
  };
  let nextId = 9_000;
  return [
    [
      'GET',
      /^\/environments$/,
      ({ url }) => {
        const { items, link } = page(
          url,
          state.environments.map((e, i) => environmentJson(state, e, i)),
          30,
          100,
        );
        return { json: { total_count: state.environments.length, environments: items }, link };
      },
    ],
    [
      'GET',
      /^\/environments\/([^/]+)$/,
      ({ match }) => {
        const { env: e, index } = env(match[0] as string);
        return { json: environmentJson(state, e, index) };
      },
    ],
    [
      'GET',
      /^\/environments\/([^/]+)\/deployment-branch-policies$/,
      ({ url, match }) => {
        const { env: e, index } = env(match[0] as string);
        const policies = Array.isArray(e.deploymentBranches) ? e.deploymentBranches : [];
        const json = policies.map((p, i) => ({
          id: (1_000 + index) * 100 + i,
          node_id: `GBP_${index}${i}`,
          name: p.name,
          type: p.type,
        }));
        const { items, link } = page(url, json, 30, 100);
        return { json: { total_count: json.length, branch_policies: items }, link };
      },
    ],
    [
      'GET',
      /^\/environments\/([^/]+)\/variables$/,
      ({ url, match }) => {
        const variables = variablesJson(env(match[0] as string).env.variables ?? {});
        const { items, link } = page(url, variables, 10, 30);
        return { json: { total_count: variables.length, variables: items }, link };
      },
    ],
    [
      'GET',
      /^\/actions\/variables$/,
      ({ url }) => {
        const { items, link } = page(url, variablesJson(state.variables), 10, 30);
        return { json: { total_count: Object.keys(state.variables).length, variables: items }, link };
      },
    ],
    [
      'GET',
      /^\/actions\/organization-variables$/,
      ({ url }) => {
        const variables = variablesJson(state.organizationVariables ?? {});
        const { items, link } = page(url, variables, 10, 30);
        return { json: { total_count: variables.length, variables: items }, link };
      },
    ],
    [
      'GET',
      /^\/issues\/(\d+)\/comments$/,
      ({ url, match }) => {
        const issue = Number(match[0]);
        const { items, link } = page(
          url,
          (state.comments[issue] ?? []).map((c) => commentJson(state, issue, c)),
          30,
          100,
        );
        return { json: items, link };
      },
    ],
    [
      'POST',
      /^\/issues\/(\d+)\/comments$/,
      ({ match, body, access }) => {
        writable(access);
        const issue = Number(match[0]);
        const comment: IssueCommentState = {
          id: nextId++,
          body: commentBody(body),
          user: { login: 'github-actions[bot]', type: 'Bot' },
        };
        state.comments[issue] = [...(state.comments[issue] ?? []), comment];
        return { status: 201, json: commentJson(state, issue, comment) };
      },
    ],
    [
      'PATCH',
      /^\/issues\/comments\/(\d+)$/,
      ({ match, body, access }) => {
        writable(access);
        for (const [issue, comments] of Object.entries(state.comments)) {
          const comment = comments.find((c) => c.id === Number(match[0]));
          if (comment) {
            comment.body = commentBody(body);
            return { json: commentJson(state, Number(issue), comment) };
          }
        }
        throw notFound();
      },
    ],
  ];
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

export async function startGitHubApiStandIn(state: GitHubState): Promise<GitHubApiStandIn> {
  const requests: RecordedRequest[] = [];
  const table = routes(state);
  const prefix = `/repos/${state.owner}/${state.repo}`;
  const answer = (response: ServerResponse, status: number, json: unknown, link?: string) => {
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      ...(link ? { link } : {}),
    });
    response.end(JSON.stringify(json));
  };
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
      const body = await readBody(request);
      const method = request.method ?? 'GET';
      requests.push({ method, path: url.pathname + url.search, ...(body !== undefined && { body }) });
      const token = /^(?:Bearer|token) (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const access = token === undefined ? undefined : state.tokens[token];
      if (access === undefined)
        throw new ApiError(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
      if (!url.pathname.startsWith(`${prefix}/`)) throw notFound();
      const rest = url.pathname.slice(prefix.length);
      for (const [verb, pattern, handle] of table) {
        const match = pattern.exec(rest);
        if (verb === method && match) {
          const result = handle({ url, match: match.slice(1), body, access });
          return answer(response, result.status ?? 200, result.json, result.link);
        }
      }
      throw notFound();
    } catch (error) {
      if (error instanceof ApiError) return answer(response, error.status, error.body);
      answer(response, 400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
