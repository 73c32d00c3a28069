// The key flood: database look-ups per 1,000 random API keys, with failed authentication charged
// to the source IP's bucket against the same app charging nothing (see key-flood-child.ts).
import { runChild } from './child.js';
import type { KeyFloodBenchResult } from './key-flood-child.js';

export type { KeyFloodBenchResult };

/** Needs Postgres and Redis; ~5 s. */
export function measureKeyFlood(): Promise<KeyFloodBenchResult> {
  return runChild<KeyFloodBenchResult>('./key-flood-child.ts', { timeoutMs: 120_000 });
}
