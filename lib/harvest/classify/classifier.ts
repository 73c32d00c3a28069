// The shape every classifier of a harvest run has: classify one item, and say afterwards how the
// run's items were decided (by the LLM or by keywords, and why the LLM was passed over), so the
// pipeline can put the numbers in its run details, metrics and log line.
import type { Classification, HarvestedItem } from '../types.js';

/**
 * Why an item meant for the LLM was classified by keywords instead.
 * - `budget`: LLM_BUDGET_PER_RUN requests were already made this run.
 * - `circuit_open`: the last requests all failed (see `maxConsecutiveFailures`); no more this run.
 * - `aborted`: the run's own signal aborted (the job ran out of time).
 * - `timeout`: no complete answer within LLM_TIMEOUT_MS.
 * - `network`: the request failed without an HTTP answer (DNS, refused, reset).
 * - `http`: an HTTP answer other than 2xx (401, 429, 500, …).
 * - `invalid_json`: the body, or the message content, is not JSON.
 * - `invalid_answer`: JSON, but not a chat completion, or an unknown category or sentiment, or an
 *   urgency that is not an integer from 0 to 5.
 */
export const LLM_FALLBACK_REASONS = [
  'budget',
  'circuit_open',
  'aborted',
  'timeout',
  'network',
  'http',
  'invalid_json',
  'invalid_answer',
] as const;
export type LlmFallbackReason = (typeof LLM_FALLBACK_REASONS)[number];

export interface ClassifierStats {
  /** Items classified. */
  items: number;
  /** Items the LLM decided. */
  llm: number;
  /** Items keywords decided, fallbacks included (`items = llm + keyword`). */
  keyword: number;
  /** Requests sent to the LLM; never more than the budget. */
  llmCalls: number;
  /** Items keywords decided in place of the LLM, by reason (all 0 without an LLM). */
  fallbacks: Record<LlmFallbackReason, number>;
}

/** One per run: it holds the run's LLM budget and counts. */
export interface Classifier {
  /** Never rejects: any LLM failure falls back to the keyword classifier. */
  classify(item: HarvestedItem): Promise<Classification>;
  /** A snapshot of the counts so far. */
  stats(): ClassifierStats;
}

export function emptyStats(): ClassifierStats {
  const fallbacks = Object.fromEntries(LLM_FALLBACK_REASONS.map((reason) => [reason, 0])) as Record<LlmFallbackReason, number>;
  return { items: 0, llm: 0, keyword: 0, llmCalls: 0, fallbacks };
}

export function copyStats(stats: ClassifierStats): ClassifierStats {
  return { ...stats, fallbacks: { ...stats.fallbacks } };
}
