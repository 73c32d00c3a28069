// Releases a job lock only if it is still ours: compare and delete, atomically, in one round trip.
// A plain DEL could delete the lock of the next run once ours had expired (our run overran its
// TTL and another took the lock over); the token written by `SET key token NX PX ttl` tells them
// apart. Commands billed by Upstash: EVALSHA + GET (+ DEL when ours) = at most 3.
// Upstash's script rules hold: deterministic (no clock or random source: the lock's expiry is the
// PX of the SET that took it, which Redis keeps), and the one key it touches is KEYS[1].
//
// `allow-key-locking` is Upstash's flag for a script that touches only its KEYS (see
// lib/ratelimit/token-bucket.lua.ts); the local bridge drops it for Redis 7.0 and keeps this SHA1.

/** KEYS and ARGV are listed in the script. Returns 1 when the lock was ours and is deleted, else 0. */
export const RELEASE_LOCK_SCRIPT = `#!lua flags=allow-key-locking
local key = KEYS[1]   -- the lock: job_lock:{job}, a string holding its holder's token
local token = ARGV[1] -- the token this holder wrote when it took the lock

if redis.call('GET', key) == token then
  return redis.call('DEL', key)
end
return 0
`;

/** SHA1 of RELEASE_LOCK_SCRIPT, what `SCRIPT LOAD` returns; a test checks both. */
export const RELEASE_LOCK_SHA1 = '46754b35c33b80abd8533c79d120703a00208a80';
