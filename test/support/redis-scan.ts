// Every key matching a pattern, read with SCAN (never KEYS, which blocks a shared Redis).
import type { Redis as IORedis } from 'ioredis';

export async function scanAll(redis: IORedis, match: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}
