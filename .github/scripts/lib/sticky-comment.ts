import { githubApi } from './github-api';

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
  const api = githubApi({ apiUrl: options.apiUrl, token: options.token, fetch: options.fetch });
  const base = `/repos/${options.repository}/issues`;
  let existing: IssueComment | undefined;
  for (let page = 1; existing === undefined; page++) {
    const comments = await api.get<IssueComment[]>(
      `${base}/${options.issueNumber}/comments?per_page=100&page=${page}`,
    );
    existing = findStickyComment(comments, options.marker);
    if (comments.length < 100) break;
  }
  if (existing) {
    await api.send('PATCH', `${base}/comments/${existing.id}`, { body: options.body });
    return { action: 'updated', id: existing.id };
  }
  const created = await api.send<IssueComment>('POST', `${base}/${options.issueNumber}/comments`, {
    body: options.body,
  });
  return { action: 'created', id: created.id };
}
