// A watch's filter as the signals query's filter (the same builder GET /v1/signals uses, plus the
// mute conditions), and the rule that keeps a watch from being a firehose.
import type { SignalFilter } from '../db/signals-types.js';
import type { WatchFilter } from '../model/watch.js';

/**
 * The fields that narrow a watch to a subject. Mute filters (exclude_*) and `status` only take
 * away, so a filter made of them alone would still deliver nearly every signal harvested.
 */
const NARROWING_FIELDS = ['source', 'kind', 'kinds', 'category', 'q', 'tag', 'topics', 'min_score'] as const satisfies readonly (keyof WatchFilter)[];

/** Whether the filter would match (nearly) everything: no narrowing field and no minimum score. */
export function matchesEverything(filter: WatchFilter): boolean {
  return NARROWING_FIELDS.every((field) => {
    const value = filter[field];
    return value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
  });
}

/** The filter under the repository's names; the feed shows active signals unless the watch asks otherwise. */
export function toSignalFilter(filter: WatchFilter): SignalFilter {
  return {
    source: filter.source,
    kind: filter.kind,
    kinds: filter.kinds,
    category: filter.category,
    status: filter.status ?? 'active',
    minScore: filter.min_score,
    q: filter.q,
    tags: filter.tag,
    topics: filter.topics,
    excludeTerms: filter.exclude_terms,
    excludeSources: filter.exclude_sources,
    excludeDomains: filter.exclude_domains?.map((domain) => domain.toLowerCase()),
  };
}
