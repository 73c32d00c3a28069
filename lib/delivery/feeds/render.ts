// A watch's signals as Atom 1.0, RSS 2.0 (both through the `feed` library) or JSON Feed 1.1 (plain
// JSON.stringify: the library writes JSON Feed 1.0, and JSON needs no escaping of ours). Pure:
// the caller fetched the page and worked out the validators.
import { Feed, type Item } from 'feed';
import type { Signal } from '../../model/signal.js';
import { attributeText, cdataText, excerpt, htmlText, xmlText } from './feed-text.js';

export const FEED_FORMATS = ['atom', 'rss', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const FEED_CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = {
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** Summary length per item: enough to decide whether to open it, small enough for 100 items. */
const SUMMARY_CHARS = 600;

export interface FeedMeta {
  /** The watch's name, shown as the feed's title. */
  name: string;
  /** Stable feed id: the watch's API URL (never the token). */
  id: string;
  /** This feed's own URL, per format (they carry the token: the reader already has it). */
  selfUrls: Readonly<Record<FeedFormat, string>>;
  /** Where a person can see the signals (the API's list). */
  homeUrl: string;
  /** Base of each item's id: `${signalUrlBase}/${id}` is the signal's API URL. */
  signalUrlBase: string;
  /** The newest change among the items and the watch (the Last-Modified). */
  updated: Date;
}

export interface RenderedFeed {
  body: string;
  contentType: string;
}

/** A URL the feed library can parse (it throws on others); the signal's API URL otherwise. */
function safeLink(url: string, fallback: string): string {
  return URL.canParse(url) && /^https?:/i.test(url) ? url : fallback;
}

function categories(signal: Signal): string[] {
  const labels = signal.category === null ? signal.tags : [signal.category, ...signal.tags];
  return labels.map(attributeText).filter((label) => label !== '');
}

function feedTitle(meta: FeedMeta): string {
  return `Signal Harvester: ${meta.name}`;
}

/** One item for the XML formats; `title` is HTML for Atom (type="html"), text for RSS. */
function xmlItem(signal: Signal, meta: FeedMeta, title: string): Item {
  const id = `${meta.signalUrlBase}/${signal.id}`;
  const summary = signal.text === '' ? undefined : htmlText(excerpt(signal.text, SUMMARY_CHARS));
  return {
    title,
    id,
    guid: id,
    link: safeLink(signal.url, id),
    date: signal.publishedAt,
    published: signal.publishedAt,
    description: summary,
    author: signal.author === null ? undefined : [{ name: xmlText(signal.author) }],
    category: categories(signal).map((name) => ({ name, term: name })),
  };
}

function xmlFeed(meta: FeedMeta, signals: readonly Signal[], format: 'atom' | 'rss'): string {
  const feed = new Feed({
    id: meta.id,
    title: xmlText(feedTitle(meta)),
    description: xmlText(`Signals matching the watch “${meta.name}”`),
    link: meta.homeUrl,
    updated: meta.updated,
    generator: 'Signal Harvester',
    copyright: '',
    feedLinks: { atom: meta.selfUrls.atom, rss: meta.selfUrls.rss, json: meta.selfUrls.json },
  });
  for (const signal of signals) {
    feed.addItem(xmlItem(signal, meta, format === 'atom' ? htmlText(signal.title) : cdataText(signal.title)));
  }
  return format === 'atom' ? feed.atom1() : feed.rss2();
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1): `authors` and `language` are 1.1's. */
function jsonFeed(meta: FeedMeta, signals: readonly Signal[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feedTitle(meta),
    home_page_url: meta.homeUrl,
    feed_url: meta.selfUrls.json,
    description: `Signals matching the watch “${meta.name}”`,
    items: signals.map((signal) => {
      const id = `${meta.signalUrlBase}/${signal.id}`;
      return {
        id,
        url: safeLink(signal.url, id),
        title: signal.title,
        content_text: signal.text === '' ? signal.title : excerpt(signal.text, SUMMARY_CHARS),
        date_published: signal.publishedAt.toISOString(),
        date_modified: signal.updatedAt.toISOString(),
        ...(signal.author === null ? {} : { authors: [{ name: signal.author }] }),
        tags: signal.category === null ? signal.tags : [signal.category, ...signal.tags],
        _signal_harvester: { source: signal.source, kind: signal.kind, score: signal.score },
      };
    }),
  });
}

export function renderFeed(format: FeedFormat, meta: FeedMeta, signals: readonly Signal[]): RenderedFeed {
  const body = format === 'json' ? jsonFeed(meta, signals) : xmlFeed(meta, signals, format);
  return { body, contentType: FEED_CONTENT_TYPES[format] };
}
