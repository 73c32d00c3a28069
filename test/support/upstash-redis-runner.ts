// The real @upstash/redis client as a ScriptRunner, so a store runs unchanged through it and
// through our own client. Its calls take no AbortSignal; the signal is accepted and ignored.
import type { Redis } from '@upstash/redis';
import type { RedisArg, ScriptRunner } from '../../lib/redis/upstash-rest.js';

export function upstashRedisRunner(redis: Pick<Redis, 'evalsha' | 'eval'>): ScriptRunner {
  return {
    evalsha: <T>(sha: string, keys: string[], args: RedisArg[]) => redis.evalsha<RedisArg[], T>(sha, keys, args),
    eval: <T>(script: string, keys: string[], args: RedisArg[]) => redis.eval<RedisArg[], T>(script, keys, args),
  };
}
