// This container's Upstash REST client, built once from config; undefined when Redis is not
// configured (local runs: the limiter keeps its buckets in memory).
import { getConfig } from '../config.js';
import { createUpstashRest, type UpstashRest } from './upstash-rest.js';

let client: UpstashRest | null | undefined;

export function defaultUpstash(): UpstashRest | undefined {
  if (client === undefined) {
    const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = getConfig();
    client = url !== undefined && token !== undefined ? createUpstashRest({ url, token }) : null;
  }
  return client ?? undefined;
}

/** Forgets the client (tests that change config). */
export function resetDefaultUpstash(): void {
  client = undefined;
}
