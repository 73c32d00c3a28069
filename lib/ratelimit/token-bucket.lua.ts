// The token bucket as one Lua script: refill, take (for one request or a coalesced batch of them)
// and expire atomically, in one round trip.
//
// Upstash's script rules (https://upstash.com/docs/redis/commands/scripting/eval):
// - deterministic: no TIME, no random source inside. The clock is the caller's, in ARGV, in epoch
//   ms. Lambda containers' clocks differ, so it is guarded: the script uses
//   `now = max(ARGV now, stored ts)` and stores that, so the stored time only moves forward. A
//   clock that runs behind refills nothing (it cannot credit an interval twice); a clock that runs
//   S ms ahead pulls at most S × rate tokens of refill forward, once, which the containers on time
//   then repay (they see no refill until real time catches up with the stored one). So over any
//   window of T ms a bucket grants at most capacity + rate × (T + S) tokens, S being the largest
//   lead of any caller's clock over the slowest one: Lambda keeps clocks NTP-synced to
//   milliseconds; the tests hold it with ±2 s.
// - every key in KEYS: the script touches only KEYS[1], so `allow-key-locking` (Upstash locks that
//   key instead of the whole database; decisions for different clients run in parallel). Redis
//   7.0 rejects flags it does not know; the local bridge drops the flag and keeps this SHA1.
//
// Commands billed by Upstash, which counts the EVALSHA and every command the script runs:
//   granted (any request of the batch):   EVALSHA + HMGET + HSET + PEXPIRE = 4
//   refused (nothing granted):            EVALSHA + HMGET = 2 (nothing to write: the stored state
//                                         refills to the same tokens and its expiry still holds)
//   bucket full after it (cost 0, settle): EVALSHA + HMGET (+ DEL if a key existed) ≤ 3
//   settling a late call (count 0):       EVALSHA + HMGET + HSET + PEXPIRE = 4, only after a timeout
// A coalesced batch of n requests costs the same 4 as one request; a NOSCRIPT adds one EVAL.

/**
 * KEYS and ARGV are listed in the script. With `count` ≥ 1 it takes up to `count` requests of
 * `cost` (≥ 0) tokens each, as many as the bucket holds (a batch coalesced in one container). With
 * `count` 0 it settles a call that timed out but ran: it takes `cost` tokens whatever the bucket
 * holds (down to a debt of -capacity, repaid by the refill), or gives -`cost` back when negative.
 * Returns four numbers: requests granted, whole tokens remaining (0 in debt), epoch ms (caller's
 * clock) at which the bucket is full again, and ms until the next request of `cost` would be
 * granted (0 when all were; -1 when `cost` exceeds `capacity`, so it never will be).
 */
export const TOKEN_BUCKET_SCRIPT = `#!lua flags=allow-key-locking
local key = KEYS[1]                -- the bucket: a hash {tokens, ts}; no key means a full bucket
local capacity = tonumber(ARGV[1]) -- most tokens the bucket holds (> 0)
local rate = tonumber(ARGV[2])     -- tokens regained per second, continuously (> 0, may be fractional)
local now = tonumber(ARGV[3])      -- the caller's clock, epoch ms (may be fractional)
local cost = tonumber(ARGV[4])     -- tokens per request (>= 0); with count 0, tokens to settle (+ charge, - give back)
local count = tonumber(ARGV[5])    -- requests in the batch (>= 1), or 0 to settle

local tokens = capacity
local state = redis.call('HMGET', key, 'tokens', 'ts')
if state[1] and state[2] then
  local ts = tonumber(state[2])
  if now < ts then now = ts end -- the stored time only moves forward (see the header)
  tokens = math.min(capacity, tonumber(state[1]) + (now - ts) * rate / 1000)
end

local granted = 0
if count == 0 then
  tokens = math.max(-capacity, math.min(capacity, tokens - cost))
elseif cost == 0 then
  granted = count
else
  granted = math.max(0, math.min(count, math.floor(tokens / cost + 1e-9)))
  tokens = tokens - granted * cost
end

local retry_after = 0
if count > 0 and cost > capacity then
  retry_after = -1
elseif granted < count then
  retry_after = math.ceil((cost - tokens) * 1000 / rate)
end

local to_full = (capacity - tokens) * 1000 / rate -- ms until the bucket is full again
if granted > 0 or count == 0 then
  if tokens < capacity then
    redis.call('HSET', key, 'tokens', tokens, 'ts', now)
    redis.call('PEXPIRE', key, math.max(1, math.ceil(to_full)))
  elseif state[1] then
    redis.call('DEL', key) -- a full bucket needs no key
  end
end

return {granted, math.max(0, math.floor(tokens + 1e-9)), math.ceil(now + to_full), retry_after}
`;

/** SHA1 of TOKEN_BUCKET_SCRIPT, what `SCRIPT LOAD` returns; a test checks both. */
export const TOKEN_BUCKET_SHA1 = '57a28d259010ee012c7ee5cff1fdb7270540bee8';
