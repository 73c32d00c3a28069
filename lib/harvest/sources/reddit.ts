// Reddit posts from each subreddit's `/new.json` listing (newest first, 100 a page, `raw_json=1` so
// text arrives unescaped), over app-only OAuth (reddit-oauth.ts) with a User-Agent in the form
// Reddit requires, spending its `x-ratelimit-*` budget: when it is used up the adapter waits for the
// reset if that fits the run, else stops with a rate-limit error. Without an app id and secret the
// source is off (one log line a run), since anonymous requests from Lambda get 403. Cursor: the newest
// `created_utc` (epoch seconds) a subreddit has given us; the listing cannot be filtered by time, so
// paging (`after`) stops at the first post that is not newer. Stickied posts (pinned, often old) and
// NSFW posts are skipped; a stickied post never stops the paging.
import { log } from '../../log/index.js';
import type { FetchContext, HarvestedItem, SourceAdapter } from '../types.js';
import { defineSource, type RunSetup } from './define-source.js';
import { SourceError } from './errors.js';
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
import { buildUrl, DEFAULT_MAX_WAIT_MS, invalidBody, realSleep, type SourceHttp } from './http.js';
import { DEFAULT_TIMEOUT_MS, type SourceOptions } from './options.js';
import { forgetRedditTokens, redditToken } from './reddit-oauth.js';
import { parseResetEpoch } from '../retry-after.js';
import { compareNumbers, lagEpochSeconds, newestEpochSeconds, type Page } from './run-queries.js';

/** Re-read behind the cursor: posts approved by moderators later, and a window of re-polled scores. */
export const REDDIT_LAG_MS = 6 * 3_600_000;
import { cleanText, cleanTitle } from './text.js';

export interface RedditSourceOptions extends SourceOptions {
  /** Posts per listing page; Reddit allows up to 100. Default 100. */
  limit?: number;
  /** Token endpoint's base URL (REDDIT_AUTH_URL). Default `https://www.reddit.com`. */
  authUrl?: string;
  /** The app's id and secret (REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET); without both the source is off. */
  clientId?: string;
  clientSecret?: string;
  /** REDDIT_USER_AGENT, in Reddit's `platform:app:version (by /u/name)` form; over `userAgent`. */
  redditUserAgent?: string;
}

/** What Reddit's `x-ratelimit-*` headers said last: requests left in the window and time to its reset. */
interface RateBudget {
  remaining?: number;
  resetMs?: number;
}

function readBudget(budget: RateBudget, headers: Headers): void {
  const remaining = Number(headers.get('x-ratelimit-remaining') ?? Number.NaN);
  if (Number.isFinite(remaining)) budget.remaining = remaining;
  const resetMs = parseResetEpoch(headers.get('x-ratelimit-reset'), Date.now());
  if (resetMs !== undefined) budget.resetMs = resetMs;
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

export function createRedditSource(given: RedditSourceOptions): SourceAdapter {
  const options = given.redditUserAgent === undefined ? given : { ...given, userAgent: given.redditUserAgent };
  const limit = options.limit ?? 100;
  const { clientId, clientSecret } = options;
  const enabled = clientId !== undefined && clientId !== '' && clientSecret !== undefined && clientSecret !== '';
  const sleep = options.sleep ?? realSleep;
  if (!enabled) {
    log.warn('reddit source off: REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET are not set (Reddit refuses anonymous requests from cloud addresses)', {
      source: 'reddit',
      reason: 'no_credentials',
    });
  }

  /** A run's token and rate-limit budget: waited out when spent and the reset fits the run, else the subreddit stops. */
  async function prepare(context: FetchContext): Promise<RunSetup> {
    const token = await redditToken(
      { clientId: clientId ?? '', clientSecret: clientSecret ?? '', authUrl: options.authUrl ?? 'https://www.reddit.com', userAgent: options.userAgent ?? '' },
      { fetch: options.fetch ?? context.fetch ?? fetch, signal: context.run.signal, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, now: context.now ?? Date.now },
    );
    const budget: RateBudget = {};
    return {
      headers: { authorization: `Bearer ${token}` },
      onResponse: (headers, status) => {
        if (status === 401) forgetRedditTokens();
        readBudget(budget, headers);
      },
      beforeRequest: async () => {
        if (budget.remaining === undefined || budget.remaining >= 1) return;
        const wait = budget.resetMs ?? 0;
        const maxWait = options.retry?.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
        if (wait > maxWait || wait >= context.run.remainingMs()) {
          throw new SourceError('reddit', 'rate_limited', `rate limit used up; it resets in ${String(Math.ceil(wait / 1000))} s`);
        }
        await sleep(wait, context.run.signal);
        budget.remaining = undefined;
      },
    };
  }

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
    enabled,
    prepare,
    queries: options.queries,
    headers: { accept: 'application/json' },
    compare: compareNumbers,
    isCursor: (value) => /^\d+(\.\d+)?$/.test(value),
    lagBehind: (cursor) => lagEpochSeconds(cursor, REDDIT_LAG_MS),
    pages: (http) => (subreddit, cursor, after) => fetchPage(http, subreddit, cursor, after),
  });
}
