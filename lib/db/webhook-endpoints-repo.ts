// Webhook endpoints in Postgres, one per watch, scoped by the watch's owner like the watches
// themselves (admins pass `owner: undefined`). Secrets arrive already sealed
// (lib/delivery/webhooks/secret-box.ts): this layer never sees a plaintext secret. Setting an
// endpoint also opens its enqueue cursor; removing it gives up what was still pending for it.
import type { SendingEndpoint, WebhookEndpoint } from '../model/webhook-endpoint.js';
import { isSignalId } from './ids.js';
import { sql, type Sql } from './sql.js';
import type { Queryable } from './types.js';
import type { WatchScope } from './watches-repo.js';

export interface SealedSecret {
  /** What sealSecret returned for this watch. */
  sealed: string;
  /** secretPrefix of the plaintext. */
  prefix: string;
}

const ENDPOINT_COLUMNS = sql`
  e.watch_id::text AS "watchId", e.url, e.secret_prefix AS "secretPrefix",
  CASE WHEN e.previous_expires_at > now() THEN e.previous_expires_at END AS "previousExpiresAt",
  e.created_at AS "createdAt", e.updated_at AS "updatedAt"`;

/** The watch `id` if the scope may touch it. */
function ownedWatch(scope: WatchScope, id: string): Sql {
  const byId = sql`w.id = ${id}::bigint`;
  return scope.owner === undefined ? byId : sql`${byId} AND w.owner_key_id = ${scope.owner}`;
}

/**
 * Sets (or replaces) the watch's endpoint with a new secret; any previous secret stops at once.
 * Undefined when the watch is not the scope's. The enqueue cursor starts now on first set, so the
 * endpoint receives what is harvested from now on, not the back catalogue.
 */
export async function putWebhookEndpoint(db: Queryable, scope: WatchScope, watchId: string, url: string, secret: SealedSecret): Promise<WebhookEndpoint | undefined> {
  if (!isSignalId(watchId)) return undefined;
  const rows = await db.query<WebhookEndpoint>(sql`
    WITH e AS (
      INSERT INTO webhook_endpoints AS e (watch_id, url, secret_ciphertext, secret_prefix)
      SELECT w.id, ${url}, ${secret.sealed}, ${secret.prefix} FROM watches w WHERE ${ownedWatch(scope, watchId)}
      ON CONFLICT (watch_id) DO UPDATE SET url = excluded.url, secret_ciphertext = excluded.secret_ciphertext,
        secret_prefix = excluded.secret_prefix, previous_secret_ciphertext = NULL, previous_expires_at = NULL, updated_at = now()
      RETURNING *),
    cursor AS (INSERT INTO delivery_cursors (watch_id, channel) SELECT watch_id, 'webhook' FROM e ON CONFLICT DO NOTHING)
    SELECT ${ENDPOINT_COLUMNS} FROM e`);
  return rows[0];
}

export async function getWebhookEndpoint(db: Queryable, scope: WatchScope, watchId: string): Promise<WebhookEndpoint | undefined> {
  if (!isSignalId(watchId)) return undefined;
  const rows = await db.query<WebhookEndpoint>(sql`
    SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints e JOIN watches w ON w.id = e.watch_id WHERE ${ownedWatch(scope, watchId)}`);
  return rows[0];
}

/**
 * Rotates the secret: the new one signs from now on, the current one too until `overlapMs` has
 * passed (both signatures are sent), so a receiver can switch without losing a message.
 */
export async function rotateWebhookSecret(db: Queryable, scope: WatchScope, watchId: string, secret: SealedSecret, overlapMs: number): Promise<WebhookEndpoint | undefined> {
  if (!isSignalId(watchId)) return undefined;
  const rows = await db.query<WebhookEndpoint>(sql`
    UPDATE webhook_endpoints e SET previous_secret_ciphertext = e.secret_ciphertext,
      previous_expires_at = now() + ${overlapMs} * interval '1 millisecond',
      secret_ciphertext = ${secret.sealed}, secret_prefix = ${secret.prefix}, updated_at = now()
    FROM watches w WHERE w.id = e.watch_id AND ${ownedWatch(scope, watchId)}
    RETURNING ${ENDPOINT_COLUMNS}`);
  return rows[0];
}

/**
 * Removes the endpoint and its cursor; its pending webhook deliveries are given up ('endpoint
 * removed'), so they show in the history instead of vanishing. Whether there was one.
 */
export async function deleteWebhookEndpoint(db: Queryable, scope: WatchScope, watchId: string): Promise<boolean> {
  if (!isSignalId(watchId)) return false;
  const rows = await db.query<{ watchId: string }>(sql`
    WITH gone AS (
      DELETE FROM webhook_endpoints e USING watches w WHERE w.id = e.watch_id AND ${ownedWatch(scope, watchId)}
      RETURNING e.watch_id),
    cursor AS (DELETE FROM delivery_cursors c USING gone WHERE c.watch_id = gone.watch_id AND c.channel = 'webhook'),
    given_up AS (
      UPDATE delivery_outbox o SET status = 'failed', last_error = 'endpoint removed'
      FROM gone WHERE o.watch_id = gone.watch_id AND o.channel = 'webhook' AND o.status = 'pending')
    SELECT watch_id::text AS "watchId" FROM gone`);
  return rows.length > 0;
}

/** The endpoints of these watches as the sender needs them (any owner: the sweep is not a caller). */
export function sendingEndpoints(db: Queryable, watchIds: readonly string[]): Promise<SendingEndpoint[]> {
  if (watchIds.length === 0) return Promise.resolve([]);
  return db.query<SendingEndpoint>(sql`
    SELECT e.watch_id::text AS "watchId", w.name AS "watchName", e.url,
      CASE WHEN e.previous_expires_at > now() THEN ARRAY[e.secret_ciphertext, e.previous_secret_ciphertext]
           ELSE ARRAY[e.secret_ciphertext] END AS "sealedSecrets"
    FROM webhook_endpoints e JOIN watches w ON w.id = e.watch_id
    WHERE e.watch_id = ANY(${[...watchIds]}::bigint[])`);
}
