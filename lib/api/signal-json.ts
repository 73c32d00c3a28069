// The public JSON shape of a signal (snake_case, like the ancestor's API) and its schema, which
// documents it in OpenAPI.
import * as z from 'zod/mini';
import { SIGNAL_KINDS, SIGNAL_STATUSES, type Signal } from '../db/signals-repo.js';

export const signalSchema = z.strictObject({
  id: z.string(),
  source: z.string(),
  source_id: z.string(),
  kind: z.enum(SIGNAL_KINDS),
  url: z.string(),
  title: z.string(),
  text: z.string(),
  author: z.nullable(z.string()),
  published_at: z.string(),
  fetched_at: z.string(),
  engagement: z.record(z.string(), z.number()),
  category: z.nullable(z.string()),
  sentiment: z.nullable(z.enum(['positive', 'neutral', 'negative', 'mixed'])),
  urgency: z.nullable(z.number()),
  tags: z.array(z.string()),
  salience: z.nullable(z.number()),
  discovery_score: z.nullable(z.number()),
  score: z.number(),
  score_details: z.record(z.string(), z.unknown()),
  status: z.enum(SIGNAL_STATUSES),
  notified_at: z.nullable(z.string()),
  updated_at: z.string(),
});

export type SignalJson = z.output<typeof signalSchema>;

export function toSignalJson(signal: Signal): SignalJson {
  return {
    id: signal.id,
    source: signal.source,
    source_id: signal.sourceId,
    kind: signal.kind,
    url: signal.url,
    title: signal.title,
    text: signal.text,
    author: signal.author,
    published_at: signal.publishedAt.toISOString(),
    fetched_at: signal.fetchedAt.toISOString(),
    engagement: signal.engagement,
    category: signal.category,
    sentiment: signal.sentiment,
    urgency: signal.urgency,
    tags: signal.tags,
    salience: signal.salience,
    discovery_score: signal.discoveryScore,
    score: signal.score,
    score_details: signal.scoreDetails,
    status: signal.status,
    notified_at: signal.notifiedAt?.toISOString() ?? null,
    updated_at: signal.updatedAt.toISOString(),
  };
}

export const signalPageSchema = z.strictObject({
  items: z.array(signalSchema),
  next_cursor: z.nullable(z.string()),
});

/**
 * A page's body from its signals' JSON texts (lib/db `listSignalsJson`, built by Postgres in the
 * `toSignalJson` shape), without parsing them: the same document as `JSON.stringify({ items,
 * next_cursor })` of the mapped signals.
 */
export function signalPageText(items: readonly string[], nextCursor: string | null): string {
  return `{"items":[${items.join(',')}],"next_cursor":${JSON.stringify(nextCursor)}}`;
}
