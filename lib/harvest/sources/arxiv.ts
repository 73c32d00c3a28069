// arXiv preprints through the arXiv API (`/api/query`), an Atom feed sorted by submission date,
// newest first, parsed with @rgrove/parse-xml (a conforming XML 1.0 parser that refuses malformed
// documents; 20 KB in the bundle where fast-xml-parser 5 cost 63 KB). Cursor: the newest `published` (first-version
// submission, ISO 8601) a query has seen; the API cannot filter by it, so paging stops at the first
// entry that is not newer, and older ones are dropped. arXiv's terms ask for one request every three
// seconds: requests of a run are paced by `requestIntervalMs`. A bad query is answered with a feed
// whose one entry is titled `Error`: that is the query's error, not a preprint.
import { parseXml, XmlElement, XmlError } from '@rgrove/parse-xml';
import { SourceError } from './errors.js';
import type { FetchContext, HarvestedItem, SourceAdapter } from '../types.js';
import { defineSource } from './define-source.js';
import { dateFromIso, httpUrl, isRecord, type JsonRecord } from './fields.js';
import { buildUrl, invalidBody, realSleep, type Sleep, type SourceHttp } from './http.js';
import type { SourceOptions } from './options.js';
import { compareDates, lagIsoDate, type Page } from './run-queries.js';

/**
 * Re-read behind the cursor: a paper's `published` is its first submission, but it is listed only
 * when announced (the next weekday; later when held for moderation), so it arrives dated days back.
 */
export const ARXIV_LAG_MS = 3 * 86_400_000;
import { bound, cleanTitle, collapseWhitespace, TEXT_MAX_CHARS } from './text.js';

export interface ArxivSourceOptions extends SourceOptions {
  /** Entries per page (`max_results`). Default 100. */
  pageSize?: number;
  /** Least time between two requests of a run, ms (arXiv asks for 3 s). Default 3,000; 0 = no pacing. */
  requestIntervalMs?: number;
}

/** Elements that may repeat: always arrays, so a feed with one entry (or one author) reads the same. */
const REPEATED = new Set(['entry', 'author', 'category', 'link']);

/** `arxiv:primary_category` → `primary_category`, `opensearch:totalResults` → `totalResults`. */
function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/**
 * An element as a plain record: a leaf without attributes is its text; otherwise attributes as
 * `@_name`, a leaf's text as `#text`, and child elements by local name (REPEATED ones as arrays).
 * Text stays text: a title like "2048" must not become a number.
 */
function toNode(element: XmlElement): unknown {
  const children = element.children.filter((child): child is XmlElement => child instanceof XmlElement);
  const attributes = Object.entries(element.attributes);
  if (children.length === 0 && attributes.length === 0) return element.text;
  const node: Record<string, unknown> = {};
  for (const [name, value] of attributes) node[`@_${localName(name)}`] = value;
  if (children.length === 0) node['#text'] = element.text;
  for (const child of children) {
    const name = localName(child.name);
    const value = toNode(child);
    if (!REPEATED.has(name)) node[name] = value;
    else if (Array.isArray(node[name])) (node[name] as unknown[]).push(value);
    else node[name] = [value];
  }
  return node;
}

/** `http(s)://arxiv.org/abs/2401.01234v2` → `2401.01234`; old-style `hep-th/9901001v1` → `hep-th/9901001`. */
export function arxivId(idUrl: string): string | undefined {
  const match = /\/abs\/(.+?)(?:v\d+)?$/.exec(idUrl.trim());
  return match?.[1];
}

/** An element's text, whether the parser gave a string or an object with `#text` (attributes present). */
function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (isRecord(node) && typeof node['#text'] === 'string') return node['#text'];
  return undefined;
}

function list(node: unknown): readonly unknown[] {
  return Array.isArray(node) ? node : [];
}

function attribute(node: unknown, name: string): string | undefined {
  if (!isRecord(node)) return undefined;
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** Authors kept as entity mentions per paper (a collaboration paper may list hundreds). */
const MAX_AUTHOR_ENTITIES = 20;

/** Author names for display: up to three, then "et al.". */
function authorLine(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} et al.`;
}

/** One Atom entry as a preprint; undefined when it lacks an id, a title or a date. */
function toItem(entry: JsonRecord): HarvestedItem | undefined {
  const idUrl = textOf(entry.id);
  const id = idUrl === undefined ? undefined : arxivId(idUrl);
  const title = textOf(entry.title);
  const publishedAt = dateFromIso(textOf(entry.published));
  if (id === undefined || title === undefined || collapseWhitespace(title) === '' || publishedAt === undefined) return undefined;
  const authors = list(entry.author).flatMap((author) => {
    const name = isRecord(author) ? textOf(author.name) : undefined;
    if (name === undefined || name.trim() === '') return [];
    const affiliation = isRecord(author) ? textOf(author.affiliation) : undefined;
    return [{ name: collapseWhitespace(name), affiliation: affiliation === undefined ? undefined : collapseWhitespace(affiliation) }];
  });
  const names = authors.map((author) => author.name);
  const alternate = list(entry.link).find((link) => attribute(link, 'rel') === 'alternate');
  const terms = [attribute(entry.primary_category, 'term'), ...list(entry.category).map((category) => attribute(category, 'term'))];
  const tags = [...new Set(terms.filter((term): term is string => term !== undefined && term !== '').map((term) => term.toLowerCase()))];
  return {
    source: 'arxiv',
    sourceId: id,
    kind: 'preprint',
    url: httpUrl(attribute(alternate, 'href')) ?? httpUrl(idUrl) ?? `https://arxiv.org/abs/${id}`,
    title: cleanTitle(title),
    text: bound(collapseWhitespace(textOf(entry.summary) ?? ''), TEXT_MAX_CHARS),
    author: authorLine(names),
    publishedAt,
    engagement: {},
    tags,
    // Every author (the display line stops at three), with the affiliation arXiv gives for some.
    entities: authors.slice(0, MAX_AUTHOR_ENTITIES).map(({ name, affiliation }) => ({
      kind: 'person' as const,
      role: 'author' as const,
      source: 'arxiv' as const,
      handle: name,
      unique: false,
      ...(affiliation === undefined || affiliation === '' ? {} : { affiliation }),
    })),
  };
}

interface Feed {
  entries: JsonRecord[];
  /** `opensearch:totalResults`; undefined when absent. */
  total: number | undefined;
}

/** Validates and parses an Atom feed; broken XML, another document or arXiv's error entry throw. */
function parseFeed(xml: string): Feed {
  let document: unknown;
  try {
    const root = parseXml(xml).root;
    document = root === null ? undefined : { [localName(root.name)]: toNode(root) };
  } catch (error) {
    const line = error instanceof XmlError ? ` (malformed at line ${String(error.line)})` : '';
    throw invalidBody('arxiv', `the response is not valid XML${line}`, error);
  }
  const feed = isRecord(document) ? document.feed : undefined;
  if (!isRecord(feed)) throw invalidBody('arxiv', 'the response is not an Atom feed');
  const entries = list(feed.entry).filter(isRecord);
  const error = entries.find((entry) => textOf(entry.title) === 'Error' && (textOf(entry.id) ?? '').includes('/api/errors'));
  if (error !== undefined) {
    const summary = collapseWhitespace(textOf(error.summary) ?? 'unknown error');
    throw new SourceError('arxiv', 'api_error', `the API reported an error: ${bound(summary, 200)}`);
  }
  const total = Number(textOf(feed.totalResults));
  return { entries, total: Number.isFinite(total) ? total : undefined };
}

/** One run's pacing: each call waits until `intervalMs` has passed since the previous call's request. */
function pacer(intervalMs: number, sleep: Sleep, context: FetchContext): () => Promise<void> {
  const now = context.now ?? Date.now;
  let lastRequestAt: number | undefined;
  return async () => {
    const wait = lastRequestAt === undefined ? 0 : lastRequestAt + intervalMs - now();
    if (wait > 0) {
      try {
        await sleep(wait, context.run.signal);
      } catch (error) {
        throw new SourceError('arxiv', 'aborted', 'stopped: the run ran out of time', { attempts: 0, cause: error });
      }
    }
    lastRequestAt = now();
  };
}

export function createArxivSource(options: ArxivSourceOptions): SourceAdapter {
  const pageSize = options.pageSize ?? 100;
  const intervalMs = options.requestIntervalMs ?? 3000;
  const sleep = options.sleep ?? realSleep;

  async function fetchPage(client: SourceHttp, pace: () => Promise<void>, query: string, cursor: string | undefined, start: number): Promise<Page<number>> {
    await pace();
    const url = buildUrl(options.baseUrl, '/api/query', {
      search_query: query,
      sortBy: 'submittedDate',
      sortOrder: 'descending',
      start,
      max_results: pageSize,
    });
    const feed = parseFeed(await client.getText(url));
    const items: HarvestedItem[] = [];
    let reachedCursor = false;
    for (const entry of feed.entries) {
      const item = toItem(entry);
      if (item === undefined) continue;
      if (cursor !== undefined && item.publishedAt.getTime() <= Date.parse(cursor)) {
        reachedCursor = true;
        continue;
      }
      items.push(item);
    }
    let newest: Date | undefined;
    for (const item of items) if (newest === undefined || item.publishedAt > newest) newest = item.publishedAt;
    const after = start + feed.entries.length;
    // A short page is the last one (arXiv sometimes sends fewer than asked: the next run goes on).
    const more = !reachedCursor && feed.entries.length >= pageSize && (feed.total === undefined || after < feed.total);
    return { items, newest: newest?.toISOString(), next: more ? after : undefined };
  }

  return defineSource<number>(options, {
    name: 'arxiv',
    queries: options.queries,
    headers: { accept: 'application/atom+xml' },
    compare: compareDates,
    isCursor: (value) => dateFromIso(value) !== undefined,
    lagBehind: (cursor) => lagIsoDate(cursor, ARXIV_LAG_MS),
    pages: (http, context) => {
      const pace = pacer(intervalMs, sleep, context);
      return (query, cursor, start) => fetchPage(http, pace, query, cursor, start ?? 0);
    },
  });
}
