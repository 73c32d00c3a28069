// Step 5 of the chain (ARCHITECTURE §3): who is calling. `authenticate` turns the presented API key
// into `c.var.caller` (anonymous when there is none, 403 when it is unknown or revoked); a route's
// tier is checked by `requireTier` (require-tier.ts). The key itself is hashed at once and never
// logged: log lines carry the key id, or the 12-character display prefix when there is no id.
//
// Authentication runs before rate limiting (a key's own bucket needs its id), so attempts are
// charged to a bucket of the caller's source IP: each malformed, unknown or revoked key, and each
// store look-up, before it is made. A key-guessing flood therefore meets 429 once that bucket is
// empty, and costs the database at most one look-up per token. It is the IP's own authentication
// bucket (`auth:<ip>`, the anonymous tier's capacity), not its anonymous request bucket: anonymous
// browsing from a shared address must not lock a key holder behind the same address out.
import type { MiddlewareHandler } from 'hono';
import { apiKeyDisplayPrefix, hashApiKey, looksLikeApiKey, safeEqualHex } from '../../auth/api-key.js';
import type { ApiKeyLookup, ApiKeyRecord } from '../../auth/key-store.js';
import { TtlCache } from '../../cache/ttl-cache.js';
import { getConfig } from '../../config.js';
import { BadRequestError, ForbiddenError, RateLimitedError, ServiceUnavailableError } from '../../errors.js';
import { registerSecretValue, type Log } from '../../log/index.js';
import { cacheHits, cacheMisses, watchCacheSize } from '../../metrics/cache-metrics.js';
import type { RateLimiter } from '../../ratelimit/limiter.js';
import type { AppEnv, Caller } from '../env.js';
import { setHeaders, sourceIp } from './rate-limit.js';

/** Unknown keys are remembered for at most this long, so a key created a moment ago works soon. */
const NEGATIVE_TTL_MS = 5_000;
/** Last-used time is written at most once per key per container in this interval. */
const TOUCH_INTERVAL_MS = 60_000;
/** Entries per cache: plenty for one container, small enough to never matter for memory. */
const CACHE_ENTRIES = 1_000;

/** `Bearer <token>`, scheme case-insensitive (RFC 7235); the token may be empty or malformed here. */
const BEARER = /^Bearer(?:\s+(.*))?$/is;

/** The labels of the key caches' metrics. */
const API_KEY_CACHE = { cache_type: 'memory', cache_name: 'api_key' } as const;
/** Approximate bytes of one cached entry: its 64-character hash key plus a small stored-key record. */
const API_KEY_ENTRY_BYTES = 256;

const ANONYMOUS: Caller = { tier: 'anonymous', keyId: undefined };
const BOOTSTRAP: Caller = { tier: 'admin', keyId: 'bootstrap' };

type StoredKey = ApiKeyRecord & { hash: string };

export interface AuthenticateOptions {
  /**
   * The key store. Called only when a key has to be looked up or touched, so anonymous and
   * bootstrap requests never open a database connection; return a lazy singleton.
   */
  lookup: () => ApiKeyLookup | Promise<ApiKeyLookup>;
  /**
   * How long this container trusts a looked-up key, in milliseconds: revocation takes effect
   * within it. Unknown keys are remembered for min(ttlMs, 5 s). 0 disables caching.
   * Default: config `API_KEY_CACHE_TTL_MS` (30 s).
   */
  ttlMs?: number;
  /**
   * The container's limiter: failed authentication and store look-ups are charged to the source
   * IP's anonymous bucket (see the top). Default: none (nothing charged; tests of auth alone).
   */
  limiter?: () => RateLimiter;
  /** Bootstrap admin key, accepted without a store look-up. Default: config `ADMIN_API_KEY` (none). */
  adminKey?: string;
  /** Clock in milliseconds for cache expiry and the touch interval (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * The key a request presents in `X-API-Key` or `Authorization: Bearer`, or undefined when it
 * presents none. A present header counts even when empty, so the client hears "invalid API key"
 * rather than silently becoming anonymous. Other Authorization schemes are not ours and are ignored.
 */
function presentedKey(header: (name: string) => string | undefined): string | undefined {
  const fromApiKey = header('x-api-key');
  const authorization = header('authorization');
  const bearer = authorization === undefined ? null : BEARER.exec(authorization.trim());
  const fromBearer = bearer === null ? undefined : (bearer[1] ?? '').trim();
  if (fromApiKey !== undefined && fromBearer !== undefined && fromApiKey !== fromBearer) {
    throw new BadRequestError('X-API-Key and Authorization carry different keys; send one');
  }
  return fromApiKey ?? fromBearer;
}

/** Log fields take an Error; anything else thrown is wrapped so it is still described. */
function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

type HttpContext = Parameters<MiddlewareHandler<AppEnv>>[0];

/** Once per container: the bootstrap key is meant for the first minutes of a deployment. */
let bootstrapUseLogged = false;

export function authenticate(options: AuthenticateOptions): MiddlewareHandler<AppEnv> {
  const ttlMs = options.ttlMs ?? getConfig().API_KEY_CACHE_TTL_MS;
  // The bootstrap key is read per request (a rotation through lib/secrets.ts applies at once) and
  // hashed again only when it changes.
  let adminKey: string | undefined;
  let adminHash: string | undefined;
  function currentAdminHash(): string | undefined {
    const key = options.adminKey ?? getConfig().ADMIN_API_KEY;
    if (key !== adminKey) {
      adminKey = key;
      adminHash = key === undefined ? undefined : hashApiKey(key);
      // Unlike issued keys, the bootstrap key is a known value: mask it in any log line, whatever logs it.
      if (key !== undefined) registerSecretValue(key);
    }
    return adminHash;
  }
  currentAdminHash();
  const now = options.now ?? Date.now;
  // Known and unknown keys are cached apart, so a flood of random keys cannot evict the real ones.
  const known = new TtlCache<string, StoredKey>({ ttlMs, maxEntries: CACHE_ENTRIES, now });
  const unknown = new TtlCache<string, true>({ ttlMs: Math.min(ttlMs, NEGATIVE_TTL_MS), maxEntries: CACHE_ENTRIES, now });
  const touched = new TtlCache<string, true>({ ttlMs: TOUCH_INTERVAL_MS, maxEntries: CACHE_ENTRIES, now });
  watchCacheSize(API_KEY_CACHE, () => ({ items: known.size + unknown.size, bytes: (known.size + unknown.size) * API_KEY_ENTRY_BYTES }));

  /**
   * The stored key for a hash, from the cache when fresh (a hit either way: known or known unknown;
   * a miss is a store look-up). Store failures fail closed (503).
   */
  async function find(c: HttpContext, hash: string, prefix: string, requestLog: Log): Promise<StoredKey | undefined> {
    const cached = known.get(hash);
    if (cached !== undefined || unknown.get(hash) !== undefined) {
      cacheHits.inc(API_KEY_CACHE);
      if (cached === undefined) await chargeSource(c, requestLog); // a known unknown: failed again
      return cached;
    }
    cacheMisses.inc(API_KEY_CACHE);
    // Limited before the look-up, not after it failed: a flood's look-ups are what it costs us.
    await chargeSource(c, requestLog);
    let found: StoredKey | undefined;
    try {
      found = await (await options.lookup()).findByHash(hash);
    } catch (error) {
      // Fail closed: without the store we cannot tell a valid key from a revoked one.
      requestLog.warn('api key lookup failed', { key_prefix: prefix, reason: 'store_error', error: asError(error) });
      throw new ServiceUnavailableError('authentication is unavailable', { cause: error });
    }
    // The store looked up by hash; checking again guards against a store that matches loosely.
    if (found === undefined || !safeEqualHex(found.hash, hash)) {
      unknown.set(hash, true);
      return undefined;
    }
    known.set(hash, found);
    return found;
  }

  /**
   * Records the key's last use, awaited: a frozen Lambda runs no background work, so a write not
   * awaited may never happen. Throttled to once a minute per key per container, so the round trip
   * lands on about one request a minute. Advisory data: a failure is logged and the request goes on.
   */
  async function touchThrottled(record: StoredKey, requestLog: Log): Promise<void> {
    if (touched.get(record.id) !== undefined) return;
    // Marked before the write, so a failing store is not retried on every request either.
    touched.set(record.id, true);
    try {
      const store = await options.lookup();
      await store.touch?.(record.id);
    } catch (error) {
      requestLog.warn('api key touch failed', { key_id: record.id, error: asError(error) });
    }
  }

  /**
   * One token from the caller's source-IP authentication bucket (tier anonymous); 429 with the
   * X-RateLimit headers when it is empty. A no-op without a limiter.
   */
  async function chargeSource(c: HttpContext, requestLog: Log): Promise<void> {
    if (options.limiter === undefined) return;
    const decision = await options.limiter().check(`auth:${sourceIp(c)}`, 'anonymous');
    if (decision.reason === 'unlimited') return;
    setHeaders(c, decision);
    if (decision.allowed) return;
    requestLog.info('api key attempt refused', { reason: 'rate_limited' });
    throw new RateLimitedError(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  }

  return async function authenticate(c, next) {
    const key = presentedKey((name) => c.req.header(name));
    if (key === undefined) {
      c.set('caller', ANONYMOUS);
      return next();
    }
    const requestLog = c.get('log');
    const hash = hashApiKey(key);
    const bootstrapHash = currentAdminHash();
    if (bootstrapHash !== undefined && safeEqualHex(hash, bootstrapHash)) {
      if (!bootstrapUseLogged) {
        bootstrapUseLogged = true;
        requestLog.info('bootstrap admin key used (logged once per container)', { key_id: BOOTSTRAP.keyId });
      }
      c.set('caller', BOOTSTRAP);
      c.set('log', requestLog.child({ key_id: BOOTSTRAP.keyId }));
      return next();
    }
    if (!looksLikeApiKey(key)) {
      // Not even the prefix of a malformed value is logged: it may be some other secret pasted by mistake.
      await chargeSource(c, requestLog);
      requestLog.info('api key rejected', { reason: 'malformed' });
      throw new ForbiddenError('invalid API key');
    }
    const prefix = apiKeyDisplayPrefix(key);
    const cachedBefore = known.get(hash) !== undefined;
    const record = await find(c, hash, prefix, requestLog);
    if (record === undefined) {
      requestLog.info('api key rejected', { reason: 'unknown', key_prefix: prefix });
      throw new ForbiddenError('invalid API key');
    }
    if (record.revokedAt !== null) {
      if (cachedBefore) await chargeSource(c, requestLog); // a look-up was charged already
      requestLog.info('api key rejected', { reason: 'revoked', key_id: record.id, key_prefix: record.prefix });
      throw new ForbiddenError('API key revoked');
    }
    await touchThrottled(record, requestLog);
    requestLog.debug('api key accepted', { key_id: record.id, key_prefix: record.prefix, tier: record.tier });
    c.set('caller', { tier: record.tier, keyId: record.id });
    c.set('log', requestLog.child({ key_id: record.id }));
    return next();
  };
}
