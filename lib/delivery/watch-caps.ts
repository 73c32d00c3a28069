// How many watches a key may own, by tier. Each watch is a standing query a feed reader polls
// (typically every 15–60 minutes), so the cap bounds the query load one key can cause.
import type { Tier } from '../model/tiers.js';

export const WATCH_CAPS = {
  api_key: 20,
  premium: 200,
  /** Admins are operators; the cap only stops a runaway script. */
  admin: 10_000,
} as const satisfies Record<Exclude<Tier, 'anonymous'>, number>;

/** The cap of a caller's tier; anonymous callers own nothing (the routes need a key anyway). */
export function watchCap(tier: Tier): number {
  return tier === 'anonymous' ? 0 : WATCH_CAPS[tier];
}
