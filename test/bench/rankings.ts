// Issue 13's figures: the ranking query with read-time decay against the stored-score query it
// replaced, and GET /v1/signals/stats cold against cached, on 100,000 signals (rankings-child.ts).
import { runChild } from './child.js';
import type { RankingsResult } from './rankings-child.js';

export type { RankingsResult };

export function measureRankings(): Promise<RankingsResult> {
  return runChild<RankingsResult>('./rankings-child.ts', { timeoutMs: 180_000 });
}
