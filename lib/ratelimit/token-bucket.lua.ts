// The token bucket as one Lua script: refill, take and expire atomically, in one round trip.
//
// Cost on Upstash, which bills every command a script runs: TIME + HMGET + HSET + PEXPIRE = 4
// when allowed; TIME + HMGET = 2 when refused (nothing to write: the stored state refills to the
// same tokens and its expiry still holds); TIME + HMGET (+ DEL if a key existed) ≤ 3 when the
// bucket is full after the decision (cost 0).
//
// The clock is Redis `TIME`, not the caller's: Lambda containers' clocks differ. Redis 7 replicates
// a script's effects, not the script, so reading TIME before writing is safe.
//
// `allow-key-locking` is Upstash's flag for a script that touches only its KEYS: it then locks
// that key instead of the whole database, so decisions for different clients run in parallel.
// Redis 7.0 rejects flags it does not know; the local bridge drops the flag and keeps this SHA1.

/**
 * KEYS and ARGV are listed in the script. Returns four integers: allowed (1 or 0), whole tokens
 * remaining, epoch ms at which the bucket is full again, and ms until `cost` tokens are available
 * (0 when allowed; -1 when `cost` exceeds `capacity`, so it never will be).
 */
export const TOKEN_BUCKET_SCRIPT = `#!lua flags=allow-key-locking
local key = KEYS[1]                -- the bucket: a hash {tokens, ts}; no key means a full bucket
local capacity = tonumber(ARGV[1]) -- most tokens the bucket holds (> 0)
local rate = tonumber(ARGV[2])     -- tokens regained per second, continuously (> 0, may be fractional)
local cost = tonumber(ARGV[3])     -- tokens this request takes (>= 0)

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2]) -- microseconds: an exact integer in a double

local tokens = capacity
local state = redis.call('HMGET', key, 'tokens', 'ts')
if state[1] and state[2] then
  local elapsed = math.max(0, now - tonumber(state[2])) / 1000000
  tokens = math.min(capacity, tonumber(state[1]) + elapsed * rate)
end

local allowed = 0
local retry_after = 0
if cost <= tokens then
  allowed = 1
  tokens = tokens - cost
elseif cost > capacity then
  retry_after = -1
else
  retry_after = math.ceil((cost - tokens) * 1000 / rate)
end

local to_full = (capacity - tokens) * 1000 / rate -- ms until the bucket is full again
if allowed == 1 then
  if tokens < capacity then
    redis.call('HSET', key, 'tokens', tokens, 'ts', now)
    redis.call('PEXPIRE', key, math.max(1, math.ceil(to_full)))
  elseif state[1] then
    redis.call('DEL', key) -- a full bucket needs no key
  end
end

return {allowed, math.floor(tokens), math.ceil(now / 1000 + to_full), retry_after}
`;

/** SHA1 of TOKEN_BUCKET_SCRIPT, what `SCRIPT LOAD` returns; a test checks both. */
export const TOKEN_BUCKET_SHA1 = 'df614ec02ebdd5e4441fd07f86143db52bd88865';
