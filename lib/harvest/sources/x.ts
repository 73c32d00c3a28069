// Posts on X through the v2 recent-search API (the last 7 days), with an app bearer token; without
// one the source is disabled (skipped, not failed). Cursor: `meta.newest_id` of a query's first
// page, sent back as `since_id` (X's own semantics: only posts newer than that id); pages follow
// `meta.next_token`. X refuses a `since_id` older than its 7-day window, so such a cursor is left
// out and the query reads the whole window again. Post text arrives HTML-escaped (`&amp;`) and is
// decoded.
import { SourceError } from './errors.js';
import type { HarvestedItem, SourceAdapter } from '../types.js';
import { defineSource } from './define-source.js';
import { arrayField, dateFromIso, idField, isRecord, numbers, recordField, stringField, textField, type JsonRecord } from './fields.js';
import { buildUrl, invalidBody, type SourceHttp } from './http.js';
import type { SourceOptions } from './options.js';
import { compareBigInts, type Page } from './run-queries.js';
import { bound, cleanText, cleanTitle, decodeEntities } from './text.js';

export interface XSourceOptions extends SourceOptions {
  /** App bearer token (X_BEARER_TOKEN); unset = the source is disabled. */
  bearerToken?: string;
  /** Posts per page, 10–100. Default 100. */
  maxResults?: number;
}

/** Twitter's snowflake epoch (2010-11-04T01:42:54.657Z): an id's top bits are ms since then. */
const SNOWFLAKE_EPOCH_MS = 1_288_834_974_657n;
/** Recent search covers 7 days; a `since_id` older than that is refused (a minute of margin). */
const SEARCH_WINDOW_MS = 7 * 24 * 60 * 60 * 1000 - 60_000;

/** When the post with this id was created, ms since the epoch. */
/** Re-read behind the cursor: the search index's delay, and a window of re-polled metrics. */
export const X_LAG_MS = 15 * 60_000;

/** The smallest snowflake id of instant `ms`. */
export function snowflakeAt(ms: number): string {
  const since = BigInt(Math.floor(ms)) - SNOWFLAKE_EPOCH_MS;
  return String(since > 0n ? since << 22n : 0n);
}

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + SNOWFLAKE_EPOCH_MS);
}

/** One post as a signal; undefined when it lacks an id, text or a date. */
function toItem(post: unknown, users: ReadonlyMap<string, XUser>): HarvestedItem | undefined {
  if (!isRecord(post)) return undefined;
  const id = idField(post, 'id');
  const raw = textField(post, 'text');
  const publishedAt = dateFromIso(stringField(post, 'created_at'));
  if (id === undefined || !/^\d+$/.test(id) || raw === undefined || publishedAt === undefined) return undefined;
  const authorId = idField(post, 'author_id');
  const user = authorId === undefined ? undefined : users.get(authorId);
  const username = user?.username;
  const text = decodeEntities(raw);
  return {
    source: 'x',
    sourceId: id,
    kind: 'post',
    url: `https://x.com/${username === undefined ? 'i' : encodeURIComponent(username)}/status/${id}`,
    title: cleanTitle(text),
    text: cleanText(text),
    author: username ?? null,
    publishedAt,
    engagement: numbers(recordField(post, 'public_metrics'), { likes: 'like_count', reposts: 'retweet_count', replies: 'reply_count', quotes: 'quote_count' }),
    tags: [],
    // The account with its display name (`includes.users[].name`), for entity resolution.
    ...(user === undefined
      ? {}
      : {
          entities: [
            {
              kind: 'person' as const,
              role: 'author' as const,
              source: 'x' as const,
              handle: user.username,
              unique: true,
              url: `https://x.com/${encodeURIComponent(user.username)}`,
              ...(user.name === undefined ? {} : { name: user.name }),
            },
          ],
        }),
  };
}

/** An author as `includes.users[]` gives it. */
interface XUser {
  username: string;
  name?: string;
}

/** `includes.users[]` as id → username and display name. */
function usernamesOf(body: JsonRecord): Map<string, XUser> {
  const users = new Map<string, XUser>();
  const includes = recordField(body, 'includes');
  for (const user of includes === undefined ? [] : arrayField(includes, 'users')) {
    if (!isRecord(user)) continue;
    const id = idField(user, 'id');
    const username = textField(user, 'username');
    const name = textField(user, 'name');
    if (id !== undefined && username !== undefined) users.set(id, name === undefined ? { username } : { username, name: bound(name, 100) });
  }
  return users;
}

/** The first of X's `errors[]` as text (`title: detail`), bounded. */
function firstError(errors: readonly unknown[]): string {
  const first = errors.find(isRecord);
  if (first === undefined) return 'unknown error';
  const parts = [textField(first, 'title'), textField(first, 'detail') ?? textField(first, 'message')].filter((part) => part !== undefined);
  return bound(parts.join(': ') || 'unknown error', 200);
}

export function createXSource(options: XSourceOptions): SourceAdapter {
  const maxResults = options.maxResults ?? 100;
  const token = options.bearerToken ?? '';

  async function fetchPage(http: SourceHttp, query: string, sinceId: string | undefined, nextToken: string | undefined): Promise<Page<string>> {
    const url = buildUrl(options.baseUrl, '/2/tweets/search/recent', {
      query,
      max_results: maxResults,
      'tweet.fields': 'created_at,public_metrics,author_id,lang',
      expansions: 'author_id',
      'user.fields': 'username',
      since_id: sinceId,
      next_token: nextToken,
    });
    const body = await http.getJson(url);
    if (!isRecord(body)) throw invalidBody('x', 'the response is not a search result');
    const meta = recordField(body, 'meta');
    if (meta === undefined) {
      if (Array.isArray(body.errors)) throw new SourceError('x', 'api_error', `the API reported an error: ${firstError(body.errors)}`);
      throw invalidBody('x', 'the response has no meta');
    }
    const usernames = usernamesOf(body);
    const items = arrayField(body, 'data')
      .map((post) => toItem(post, usernames))
      .filter((item) => item !== undefined);
    const newestId = idField(meta, 'newest_id');
    let newest = newestId !== undefined && /^\d+$/.test(newestId) ? newestId : undefined;
    for (const item of items) if (newest === undefined || compareBigInts(item.sourceId, newest) > 0) newest = item.sourceId;
    return { items, newest, next: textField(meta, 'next_token') };
  }

  return defineSource<string>(options, {
    name: 'x',
    enabled: token !== '',
    queries: options.queries,
    headers: { authorization: `Bearer ${token}` },
    compare: compareBigInts,
    isCursor: (value) => /^\d{1,20}$/.test(value),
    lagBehind: (cursor) => snowflakeAt(snowflakeTime(cursor) - X_LAG_MS),
    pages: (http, context) => {
      const now = context.now ?? Date.now;
      return (query, cursor, nextToken) => {
        const sinceId = cursor !== undefined && now() - snowflakeTime(cursor) < SEARCH_WINDOW_MS ? cursor : undefined;
        return fetchPage(http, query, sinceId, nextToken);
      };
    },
  });
}
