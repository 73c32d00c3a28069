// GitHub repositories through the REST search API (`/search/repositories`), newest activity first.
//
// Qualifier: `pushed:>{cursor}` with `sort=updated`, not `created:>`. A repository matters when it
// is worked on and noticed, rarely on the day it is created (with no stars yet): `created:>` would
// see each repository once, at its emptiest, and move past it for good, while `pushed:>` brings an
// active repository back with fresh stars and forks, and still finds one that takes off weeks after
// its creation. Cursor: the newest `updated_at` a query has seen (ISO 8601) — the field the results
// are sorted by, so sort and cursor agree (a `pushed_at` cursor over an `updated` sort let a page
// limit skip repositories for good); the next run asks for `pushed:>{cursor − 2 h}` (GitHub offers
// no `updated:` qualifier; pushed_at ≤ updated_at, and the lag covers the search index's delay).
// `publishedAt` is the repository's `created_at`, which never changes between harvests.
//
// Rate limits: GitHub answers 403 with `x-ratelimit-remaining: 0` (or 429/403 with `retry-after`
// for its secondary limits); http.ts treats both like 429 and waits for `x-ratelimit-reset` only
// when that fits the budget.
import type { HarvestedItem, SourceAdapter } from '../types.js';
import { defineSource } from './define-source.js';
import {
  arrayField,
  dateFromIso,
  httpUrl,
  idField,
  isRecord,
  numberField,
  numbers,
  recordField,
  stringField,
  textField,
  type JsonRecord,
} from './fields.js';
import { buildUrl, invalidBody, type SourceHttp } from './http.js';
import type { SourceOptions } from './options.js';
import { compareDates, lagIsoDate, type Page } from './run-queries.js';

/** Re-read behind the cursor: the search index's delay, and a window of re-polled stars. */
export const GITHUB_LAG_MS = 2 * 3_600_000;
import { cleanText, cleanTitle } from './text.js';

export interface GitHubSourceOptions extends SourceOptions {
  /** Token sent as `Authorization: Bearer`; unset = anonymous (10 searches a minute instead of 30). */
  token?: string;
  /** Repositories per page; GitHub allows up to 100. Default 100. */
  perPage?: number;
}

/** GitHub search serves the first 1,000 results of a query and no more. */
const SEARCH_RESULT_LIMIT = 1000;

/** A cursor as a search date: `YYYY-MM-DDTHH:MM:SS+00:00`, the form GitHub's search syntax documents. */
function searchDate(cursor: string): string {
  return `${new Date(cursor).toISOString().slice(0, 19)}+00:00`;
}

/** The owner as an entity mention (a user is a person, an organization an organisation). */
function ownerEntity(owner: JsonRecord | undefined): Pick<HarvestedItem, 'entities'> {
  const login = owner === undefined ? undefined : textField(owner, 'login');
  if (owner === undefined || login === undefined) return {};
  const url = httpUrl(stringField(owner, 'html_url'));
  return {
    entities: [
      {
        kind: stringField(owner, 'type') === 'Organization' ? 'organization' : 'person',
        role: 'owner',
        source: 'github',
        handle: login,
        unique: true,
        ...(url === undefined ? {} : { url }),
      },
    ],
  };
}

/** One search item as a repository signal; undefined when it lacks an id, a name, a URL or a date. */
function toItem(repo: unknown): HarvestedItem | undefined {
  if (!isRecord(repo)) return undefined;
  const id = idField(repo, 'id');
  const name = textField(repo, 'full_name');
  const url = httpUrl(stringField(repo, 'html_url'));
  const publishedAt = dateFromIso(stringField(repo, 'created_at'));
  if (id === undefined || name === undefined || url === undefined || publishedAt === undefined) return undefined;
  const owner = recordField(repo, 'owner');
  return {
    source: 'github',
    sourceId: id,
    kind: 'repository',
    url,
    title: cleanTitle(name),
    text: cleanText(stringField(repo, 'description') ?? ''),
    author: (owner === undefined ? undefined : textField(owner, 'login')) ?? null,
    publishedAt,
    engagement: numbers(repo, { stars: 'stargazers_count', forks: 'forks_count', watchers: 'watchers_count', open_issues: 'open_issues_count' }),
    tags: arrayField(repo, 'topics').filter((topic): topic is string => typeof topic === 'string' && topic !== '').map((topic) => topic.toLowerCase()),
    ...ownerEntity(owner),
  };
}

export function createGitHubSource(options: GitHubSourceOptions): SourceAdapter {
  const perPage = options.perPage ?? 100;
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  if (options.token !== undefined && options.token !== '') headers.authorization = `Bearer ${options.token}`;

  async function fetchPage(http: SourceHttp, query: string, cursor: string | undefined, page: number): Promise<Page<number>> {
    const url = buildUrl(options.baseUrl, '/search/repositories', {
      q: cursor === undefined ? query : `${query} pushed:>${searchDate(cursor)}`,
      sort: 'updated',
      order: 'desc',
      per_page: perPage,
      page,
    });
    const body = await http.getJson(url);
    if (!isRecord(body) || !Array.isArray(body.items)) throw invalidBody('github', 'the response has no items[]');
    const items: HarvestedItem[] = [];
    let newest: string | undefined;
    for (const repo of body.items) {
      const item = toItem(repo);
      if (item === undefined) continue;
      items.push(item);
      const updated = isRecord(repo) ? stringField(repo, 'updated_at') : undefined;
      if (updated !== undefined && dateFromIso(updated) !== undefined && (newest === undefined || compareDates(updated, newest) > 0)) newest = updated;
    }
    const total = Math.min(numberField(body, 'total_count') ?? 0, SEARCH_RESULT_LIMIT);
    return { items, newest, next: body.items.length >= perPage && page * perPage < total ? page + 1 : undefined };
  }

  return defineSource<number>(options, {
    name: 'github',
    queries: options.queries,
    headers,
    compare: compareDates,
    isCursor: (value) => dateFromIso(value) !== undefined,
    lagBehind: (cursor) => lagIsoDate(cursor, GITHUB_LAG_MS),
    pages: (http) => (query, cursor, page) => fetchPage(http, query, cursor, page ?? 1),
  });
}
