// Dedupe of one run's items before they are stored: the same (source, source_id) twice (a query
// overlap, a page that shifted while we paged) keeps its last report, and the same link reported
// by two sources (an HN story about a GitHub repository and the repository itself) is one signal,
// the first source's. Links are compared in a canonical form, so tracking parameters, a trailing
// slash or an upper-case host do not make two signals of one thing.

/** Query parameters that say where a click came from, never what the page is. */
const TRACKING_PARAMS = /^(utm_[a-z]+|ref|ref_src|ref_url|fbclid|gclid|mc_cid|mc_eid|igshid|si)$/i;

/**
 * A URL in the form two reports of the same page share: lower-case host without `www.`,
 * no fragment, no tracking parameters, the rest of the query sorted, no trailing slash. A string
 * that is not an absolute http(s) URL is returned trimmed, as it is.
 */
export function canonicalUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return url.trim();
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return url.trim();
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  const port = parsed.port === '' ? '' : `:${parsed.port}`;
  const params = [...parsed.searchParams].filter(([name]) => !TRACKING_PARAMS.test(name));
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length === 0 ? '' : `?${new URLSearchParams(params).toString()}`;
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${host}${port}${path}${query}`;
}

export interface DedupeKeyed {
  source: string;
  sourceId: string;
  url: string;
}

export interface DedupeResult<T> {
  kept: T[];
  /**
   * For each kept item, the other sources' reports of its link that were dropped: scoring counts
   * them as mentions (an artifact that HN and Reddit also point at is getting attention).
   */
  mentions: Map<T, number>;
  /** Items dropped because their (source, sourceId) came again later in the run. */
  repeated: number;
  /** Items dropped because another source (earlier in the run's order) reported the same link. */
  sameUrl: number;
}

/**
 * One item per (source, sourceId), its last report, and one per canonical URL across sources, the
 * first source's (in the order of `items`, which the pipeline keeps in HARVEST_SOURCES order).
 */
export function dedupeItems<T extends DedupeKeyed>(items: readonly T[]): DedupeResult<T> {
  const byId = new Map<string, T>();
  for (const item of items) byId.set(`${item.source}\u0000${item.sourceId}`, item);
  const repeated = items.length - byId.size;

  const urlOwner = new Map<string, T>();
  const kept: T[] = [];
  const mentions = new Map<T, number>();
  let sameUrl = 0;
  for (const item of byId.values()) {
    const url = canonicalUrl(item.url);
    const owner = urlOwner.get(url);
    if (owner !== undefined && owner.source !== item.source) {
      sameUrl += 1;
      mentions.set(owner, (mentions.get(owner) ?? 0) + 1);
      continue;
    }
    if (owner === undefined) urlOwner.set(url, item);
    kept.push(item);
  }
  return { kept, mentions, repeated, sameUrl };
}
