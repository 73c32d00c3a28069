// Near-duplicate detection over 20,000 stored items on real Postgres through the Neon driver, in
// its own process (see near-duplicates-child.ts).
import { runChild } from './child.js';
import type { NearDuplicatesResult } from './near-duplicates-child.js';

export type { NearDuplicatesResult };

export function measureNearDuplicates(): Promise<NearDuplicatesResult> {
  return runChild<NearDuplicatesResult>('./near-duplicates-child.ts', { timeoutMs: 300_000 });
}
