/**
 * The few GitHub REST API calls this project makes, with the headers GitHub asks for and its
 * pagination followed through the `Link` header. A refusal throws with GitHub's status and message.
 */
export interface GitHubApiOptions {
  /** `https://api.github.com`, or GITHUB_API_URL on GitHub Enterprise Server. */
  readonly apiUrl: string;
  readonly token: string;
  readonly fetch?: typeof fetch;
}

export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }
}

export function githubApi(options: GitHubApiOptions) {
  const doFetch = options.fetch ?? fetch;
  const base = options.apiUrl.replace(/\/$/, '');
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'content-type': 'application/json',
    'user-agent': 'item-api',
    'x-github-api-version': '2022-11-28',
  };
  const call = async (method: string, url: string, body?: unknown) => {
    const response = await doFetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new GitHubApiError(
        response.status,
        `GitHub API ${method} ${url} answered ${response.status}: ${await response.text()}`,
      );
    }
    return response;
  };
  const url = (path: string) => (path.startsWith('http') ? path : `${base}${path}`);
  return {
    async get<T>(path: string): Promise<T> {
      return (await call('GET', url(path))).json() as Promise<T>;
    },
    async send<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T> {
      return (await call(method, url(path), body)).json() as Promise<T>;
    },
    /**
     * Every item of a paginated list: `key` names the array in GitHub's wrapper object
     * (`environments`, `variables`), or undefined when the answer is the array itself.
     */
    async getAll<T>(path: string, key?: string): Promise<T[]> {
      const items: T[] = [];
      let next: string | undefined = url(`${path}${path.includes('?') ? '&' : '?'}per_page=100`);
      while (next) {
        const response = await call('GET', next);
        const json = (await response.json()) as Record<string, unknown> | T[];
        items.push(...((key ? (json as Record<string, unknown>)[key] : json) as T[]));
        next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      }
      return items;
    },
  };
}

export type GitHubApi = ReturnType<typeof githubApi>;
