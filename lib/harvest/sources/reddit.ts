// Reddit posts from each subreddit's `/new.json` listing (newest first, 100 a page, `raw_json=1` so
// text arrives unescaped), with the descriptive User-Agent Reddit asks for. Cursor: the newest
// `created_utc` (epoch seconds) a subreddit has given us; the listing cannot be filtered by time, so
// paging (`after`) stops at the first post that is not newer. Stickied posts (pinned, often old) and
// NSFW posts are skipped; a stickied post never stops the paging.
import type { HarvestedItem, SourceAdapter } from '../types.js';
import { defineSource } from './define-source.js';
import {
  dateFromEpochSeconds,
  httpUrl,
  idField,
  isRecord,
  isTrue,
  numberField,
  numbers,
  recordField,
  stringField,
  textField,
  type JsonRecord,
} from './fields.js';
import { buildUrl, invalidBody, type SourceHttp } from './http.js';
import type { SourceOptions } from './options.js';
import { compareNumbers, newestEpochSeconds, type Page } from './run-queries.js';
import { cleanText, cleanTitle } from './text.js';

export interface RedditSourceOptions extends SourceOptions {
  /** Posts per listing page; Reddit allows up to 100. Default 100. */
  limit?: number;
}

/** Links on Reddit's own hosts (self posts, galleries, i.redd.it images) are not external. */
function isRedditHost(hostname: string): boolean {
  return /(^|\.)(reddit\.com|redd\.it)$/i.test(hostname);
}

/** The post's link when it points off Reddit, else its discussion page. */
function postUrl(post: JsonRecord, permalink: string | undefined, id: string): string {
  const link = httpUrl(stringField(post, 'url'));
  if (link !== undefined && !isTrue(post, 'is_self') && !isRedditHost(new URL(link).hostname)) return link;
  if (permalink !== undefined && permalink.startsWith('/')) return `https://www.reddit.com${permalink}`;
  return `https://www.reddit.com/comments/${encodeURIComponent(id)}`;
}

/** One listing child's `data` as a post; undefined when it lacks an id, a title or a date. */
function toItem(post: JsonRecord, subreddit: string): HarvestedItem | undefined {
  const id = idField(post, 'id');
  const title = textField(post, 'title');
  const publishedAt = dateFromEpochSeconds(numberField(post, 'created_utc'));
  if (id === undefined || title === undefined || publishedAt === undefined) return undefined;
  const author = textField(post, 'author');
  return {
    source: 'reddit',
    sourceId: id,
    kind: 'post',
    url: postUrl(post, stringField(post, 'permalink'), id),
    title: cleanTitle(title),
    text: cleanText(stringField(post, 'selftext') ?? ''),
    author: author === undefined || author === '[deleted]' ? null : author,
    publishedAt,
    engagement: numbers(post, { score: 'score', comments: 'num_comments', upvote_ratio: 'upvote_ratio' }),
    tags: [(textField(post, 'subreddit') ?? subreddit).toLowerCase()],
  };
}

export function createRedditSource(options: RedditSourceOptions): SourceAdapter {
  const limit = options.limit ?? 100;

  async function fetchPage(http: SourceHttp, subreddit: string, cursor: string | undefined, after: string | undefined): Promise<Page<string>> {
    const url = buildUrl(options.baseUrl, `/r/${encodeURIComponent(subreddit)}/new.json`, { limit, raw_json: 1, after });
    const body = await http.getJson(url);
    const listing = isRecord(body) ? recordField(body, 'data') : undefined;
    if (listing === undefined || !Array.isArray(listing.children)) throw invalidBody('reddit', 'the response is not a listing');
    const items: HarvestedItem[] = [];
    let reachedCursor = false;
    for (const child of listing.children) {
      const post = isRecord(child) ? recordField(child, 'data') : undefined;
      if (post === undefined || isTrue(post, 'stickied')) continue;
      const created = numberField(post, 'created_utc');
      if (cursor !== undefined && created !== undefined && created <= Number(cursor)) {
        reachedCursor = true;
        continue;
      }
      if (isTrue(post, 'over_18')) continue;
      const item = toItem(post, subreddit);
      if (item !== undefined) items.push(item);
    }
    const next = textField(listing, 'after');
    return { items, newest: newestEpochSeconds(items), next: reachedCursor || listing.children.length === 0 ? undefined : next };
  }

  return defineSource<string>(options, {
    name: 'reddit',
    queries: options.queries,
    headers: { accept: 'application/json' },
    compare: compareNumbers,
    isCursor: (value) => /^\d+(\.\d+)?$/.test(value),
    pages: (http) => (subreddit, cursor, after) => fetchPage(http, subreddit, cursor, after),
  });
}
