// Hacker News stories through Algolia's HN Search API: `search_by_date` (newest first) per query,
// `tags=story`. Cursor: the newest `created_at_i` (epoch seconds) a query has seen; the next run
// asks for `created_at_i>{cursor − 2 h}` (Algolia indexes some stories late; the overlap also
// refreshes recent stories' points). Pages follow Algolia's `page`/`nbPages`.
import type { HarvestedItem, SourceAdapter } from '../types.js';
import { defineSource } from './define-source.js';
import {
  arrayField,
  dateFromEpochSeconds,
  httpUrl,
  idField,
  isRecord,
  numberField,
  numbers,
  stringField,
  textField,
} from './fields.js';
import { buildUrl, invalidBody, type SourceHttp } from './http.js';
import type { SourceOptions } from './options.js';
import { compareNumbers, lagEpochSeconds, newestEpochSeconds, type Page } from './run-queries.js';

/** Re-read behind the cursor: Algolia's indexing lag, and a window of re-polled points. */
export const HACKERNEWS_LAG_MS = 2 * 3_600_000;
import { cleanText, cleanTitle, htmlToText } from './text.js';

export interface HackerNewsSourceOptions extends SourceOptions {
  /** Hits per page; Algolia allows up to 1,000. Default 100. */
  hitsPerPage?: number;
}

/** Algolia `_tags` worth keeping as labels. */
const KEPT_TAGS = new Set(['ask_hn', 'show_hn']);

/** One Algolia hit as a story; undefined when it lacks an id, a title or a date. */
function toItem(hit: unknown): HarvestedItem | undefined {
  if (!isRecord(hit)) return undefined;
  const id = idField(hit, 'objectID');
  const title = textField(hit, 'title');
  const publishedAt = dateFromEpochSeconds(numberField(hit, 'created_at_i'));
  if (id === undefined || title === undefined || publishedAt === undefined) return undefined;
  return {
    source: 'hackernews',
    sourceId: id,
    kind: 'story',
    // Ask HN and other text posts have no url: the discussion is the story.
    url: httpUrl(stringField(hit, 'url')) ?? `https://news.ycombinator.com/item?id=${encodeURIComponent(id)}`,
    title: cleanTitle(title),
    text: cleanText(htmlToText(stringField(hit, 'story_text') ?? '')),
    author: textField(hit, 'author') ?? null,
    publishedAt,
    engagement: numbers(hit, { points: 'points', comments: 'num_comments' }),
    tags: arrayField(hit, '_tags').filter((tag): tag is string => typeof tag === 'string' && KEPT_TAGS.has(tag)),
  };
}

export function createHackerNewsSource(options: HackerNewsSourceOptions): SourceAdapter {
  const hitsPerPage = options.hitsPerPage ?? 100;

  async function fetchPage(http: SourceHttp, query: string, cursor: string | undefined, page: number): Promise<Page<number>> {
    const url = buildUrl(options.baseUrl, '/search_by_date', {
      query,
      tags: 'story',
      numericFilters: cursor === undefined ? undefined : `created_at_i>${cursor}`,
      hitsPerPage,
      page,
    });
    const body = await http.getJson(url);
    if (!isRecord(body) || !Array.isArray(body.hits)) throw invalidBody('hackernews', 'the response has no hits[]');
    const items = body.hits.map(toItem).filter((item) => item !== undefined);
    const nbPages = numberField(body, 'nbPages') ?? 0;
    return {
      items,
      newest: newestEpochSeconds(items),
      next: body.hits.length > 0 && page + 1 < nbPages ? page + 1 : undefined,
    };
  }

  return defineSource<number>(options, {
    name: 'hackernews',
    queries: options.queries,
    headers: {},
    compare: compareNumbers,
    isCursor: (value) => /^\d+$/.test(value),
    lagBehind: (cursor) => lagEpochSeconds(cursor, HACKERNEWS_LAG_MS),
    pages: (http) => (query, cursor, page) => fetchPage(http, query, cursor, page ?? 0),
  });
}
