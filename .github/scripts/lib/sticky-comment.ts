export interface IssueComment {
  readonly id: number;
  readonly body?: string;
  readonly user?: { readonly type?: string } | null;
}

/** Our earlier comment for this stack: a bot's comment that starts with the marker. */
export function findStickyComment(
  comments: readonly IssueComment[],
  marker: string,
): IssueComment | undefined {
  return comments.find((comment) => comment.user?.type === 'Bot' && comment.body?.startsWith(marker));
}

export interface UpsertOptions {
  readonly apiUrl: string;
  /** `owner/repo`. */
  readonly repository: string;
  readonly issueNumber: number;
  readonly token: string;
  readonly marker: string;
  readonly body: string;
  readonly fetch?: typeof fetch;
}

/** Edits the comment carrying `marker`, or creates it; returns what it did. */
export async function upsertComment(
  options: UpsertOptions,
): Promise<{ action: 'created' | 'updated'; id: number }> {
  const doFetch = options.fetch ?? fetch;
  const base = `${options.apiUrl.replace(/\/$/, '')}/repos/${options.repository}/issues`;
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'content-type': 'application/json',
    'user-agent': 'item-api-pr-comment',
    'x-github-api-version': '2022-11-28',
  };
  const call = async (method: string, url: string, body?: unknown) => {
    const response = await doFetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`GitHub API ${method} ${url} answered ${response.status}: ${await response.text()}`);
    }
    return response.json() as Promise<unknown>;
  };

  let existing: IssueComment | undefined;
  for (let page = 1; existing === undefined; page++) {
    const comments = (await call(
      'GET',
      `${base}/${options.issueNumber}/comments?per_page=100&page=${page}`,
    )) as IssueComment[];
    existing = findStickyComment(comments, options.marker);
    if (comments.length < 100) break;
  }
  if (existing) {
    await call('PATCH', `${base}/comments/${existing.id}`, { body: options.body });
    return { action: 'updated', id: existing.id };
  }
  const created = (await call('POST', `${base}/${options.issueNumber}/comments`, {
    body: options.body,
  })) as IssueComment;
  return { action: 'created', id: created.id };
}
