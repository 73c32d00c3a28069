// Whether Redis pays as the topic vector cache (vector-cache-child.ts).
import { runChild } from './child.js';
import type { VectorCacheResult } from './vector-cache-child.js';

export type { VectorCacheResult };

export function measureVectorCache(): Promise<VectorCacheResult> {
  return runChild<VectorCacheResult>('./vector-cache-child.ts', { timeoutMs: 120_000 });
}
