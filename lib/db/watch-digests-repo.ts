// Digests in Postgres: which watches want one, the candidates of a period, building a digest once
// (its body stored, its items recorded so no later digest repeats them), and the claim / delivered /
// retry / give-up cycle of the outbox (a leased queue: leased-queue.ts), on the watch_digests table.
import type { WatchFilter } from '../model/watch.js';
import type { Digest, DigestChannel, DigestPeriod } from '../model/watch-delivery.js';
import { leasedQueue } from './leased-queue.js';
import { SIGNAL_JSON } from './signal-columns.js';
import { filterConditions } from './signals-queries.js';
import type { SignalFilter } from './signals-types.js';
import { ownerKeyRow } from './owner-key-sql.js';
import { join, sql, type Sql } from './sql.js';
import type { Db, Queryable } from './types.js';

/** A watch in digest mode, with the end of its last digest per channel. */
export interface DigestWatch {
  id: string;
  name: string;
  filter: WatchFilter;
  period: DigestPeriod;
  digestSize: number;
  /** The channels it has set up, with the end of the last digest on each (null: none yet). */
  channels: { channel: DigestChannel; lastEnd: Date | null }[];
}

interface DigestWatchRow extends Omit<DigestWatch, 'channels'> {
  hasSlack: boolean;
  hasWebhook: boolean;
  lastSlackEnd: Date | null;
  lastWebhookEnd: Date | null;
}

const DIGEST_COLUMNS = sql`
  id::text AS id, watch_id::text AS "watchId", channel, period, period_start AS "periodStart", period_end AS "periodEnd",
  message_id AS "messageId", body, items, status, attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError",
  created_at AS "createdAt", delivered_at AS "deliveredAt"`;

/** Claimed by digest runs that may overlap (lib/delivery/digests/run-digests.ts). Pure: a bundle that only lists digests leaves it out. */
export const digestQueue = /* @__PURE__ */ leasedQueue<Digest>('watch_digests', DIGEST_COLUMNS);

function lastEnd(channel: DigestChannel): Sql {
  return sql`(SELECT max(d.period_end) FROM watch_digests d WHERE d.watch_id = watches.id AND d.channel = ${channel})`;
}

/**
 * Watches in digest mode whose owner still stands and that have a channel set up, by id after
 * `afterId` (keyset: a run goes through them in pages).
 */
export async function digestWatches(db: Queryable, afterId: string | undefined, limit: number): Promise<DigestWatch[]> {
  const after = afterId === undefined ? sql`true` : sql`watches.id > ${afterId}::bigint`;
  const rows = await db.query<DigestWatchRow>(sql`
    SELECT watches.id::text AS id, watches.name, watches.filter, watches.delivery_mode AS period, watches.digest_size AS "digestSize",
      EXISTS (SELECT 1 FROM watch_slack s WHERE s.watch_id = watches.id) AS "hasSlack",
      EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.watch_id = watches.id) AS "hasWebhook",
      ${lastEnd('slack')} AS "lastSlackEnd", ${lastEnd('webhook')} AS "lastWebhookEnd"
    FROM watches
    WHERE watches.delivery_mode IN ('daily', 'weekly') AND ${after}
      AND NOT EXISTS (SELECT 1 FROM api_keys WHERE api_keys.id = ${ownerKeyRow('watches')} AND api_keys.revoked_at IS NOT NULL)
    ORDER BY watches.id
    LIMIT ${limit}`);
  return rows.map(({ hasSlack, hasWebhook, lastSlackEnd, lastWebhookEnd, ...watch }) => ({
    ...watch,
    channels: [
      ...(hasWebhook ? [{ channel: 'webhook' as const, lastEnd: lastWebhookEnd }] : []),
      ...(hasSlack ? [{ channel: 'slack' as const, lastEnd: lastSlackEnd }] : []),
    ],
  }));
}

export interface DigestCandidate {
  id: string;
  /** The signal's public JSON text (the API's shape), as Postgres builds it. */
  json: string;
}

export interface DigestRequest {
  watch: Pick<DigestWatch, 'id' | 'period' | 'digestSize'>;
  /** The watch's filter as the signals query's (lib/delivery/watch-filter.ts toSignalFilter). */
  filter: SignalFilter;
  channel: DigestChannel;
  /** Exclusive. */
  start: Date;
  /** Inclusive; the period's identity. */
  end: Date;
}

/**
 * The top `digestSize` signals by score (the served score's order: the decay key's) among those
 * matching the watch's filter and harvested in (start, end], less any an earlier digest on this
 * channel carried.
 */
export function digestCandidates(db: Queryable, request: DigestRequest): Promise<DigestCandidate[]> {
  const { watch, channel, start, end } = request;
  const conditions = [
    ...filterConditions(request.filter),
    sql`signals.fetched_at > ${start.toISOString()}::timestamptz`,
    sql`signals.fetched_at <= ${end.toISOString()}::timestamptz`,
    sql`NOT EXISTS (SELECT 1 FROM watch_digest_items i WHERE i.watch_id = ${watch.id}::bigint AND i.channel = ${channel} AND i.signal_id = signals.id)`,
  ];
  return db.query<DigestCandidate>(sql`
    SELECT ${SIGNAL_JSON} FROM signals WHERE ${join(conditions, ' AND ')}
    ORDER BY signals.rank DESC, signals.id DESC
    LIMIT ${watch.digestSize}`);
}

export interface BuiltDigestBody {
  body: string;
  messageId: string;
}

/**
 * Builds the digest of one (watch, channel, period) once: the candidates, the body made from them
 * by `build` (stored, so every retry sends the same bytes), and the items recorded against the
 * digest, all in one transaction. Undefined when the period's digest exists already (another run
 * built it). A period with no candidates is recorded as `empty` and sends nothing. Two runs racing
 * meet on the unique (watch, channel, period_end) and on the items' primary key: the loser's
 * transaction changes nothing.
 */
export async function buildDigest(
  db: Db,
  request: DigestRequest,
  build: (candidates: DigestCandidate[]) => BuiltDigestBody,
): Promise<Digest | undefined> {
  return db.transaction(async (tx) => {
    const candidates = await digestCandidates(tx, request);
    const { body, messageId } = build(candidates);
    const status = candidates.length === 0 ? 'empty' : 'pending';
    const [digest] = await tx.query<Digest>(sql`
      INSERT INTO watch_digests (watch_id, channel, period, period_start, period_end, message_id, body, items, status)
      VALUES (${request.watch.id}::bigint, ${request.channel}, ${request.watch.period}, ${request.start.toISOString()}::timestamptz,
        ${request.end.toISOString()}::timestamptz, ${messageId}, ${status === 'empty' ? '' : body}, ${candidates.length}, ${status})
      ON CONFLICT (watch_id, channel, period_end) DO NOTHING
      RETURNING ${DIGEST_COLUMNS}`);
    if (digest === undefined || candidates.length === 0) return digest;
    await tx.query(sql`
      INSERT INTO watch_digest_items (watch_id, channel, signal_id, digest_id)
      SELECT ${request.watch.id}::bigint, ${request.channel}, unnest(${candidates.map((c) => c.id)}::bigint[]), ${digest.id}::bigint`);
    return digest;
  });
}

/** One watch's digests, newest first (GET /v1/watches/{id}/digests). */
export function listDigests(db: Queryable, watchId: string, limit: number): Promise<Digest[]> {
  return db.query<Digest>(sql`SELECT ${DIGEST_COLUMNS} FROM watch_digests WHERE watch_id = ${watchId}::bigint ORDER BY period_end DESC, id DESC LIMIT ${limit}`);
}

/** The signal ids a digest carried, ascending. */
export async function digestSignalIds(db: Queryable, digestId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(sql`SELECT signal_id::text AS id FROM watch_digest_items WHERE digest_id = ${digestId}::bigint ORDER BY signal_id`);
  return rows.map((row) => row.id);
}
