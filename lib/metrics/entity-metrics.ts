// Entity-resolution metrics (the ancestor's "Entity Resolution: matches_total, confidence_histogram,
// duration_seconds"), moved by lib/graph/entities/resolve.ts once per graph-build batch. `outcome` is
// one of four values (lib/model/entity.ts RESOLUTION_OUTCOMES), so the series stay bounded.
import type { ResolutionOutcome } from '../model/entity.js';
import { Counter, Histogram } from './prom.js';
import { registry } from './registry.js';

export const entityResolutionMatches = new Counter({
  name: 'entity_resolution_matches_total',
  help: 'Entity mentions resolved, by outcome: known (an account seen before), merged (automatically, at or above the threshold), queued (for admin review), new (an entity of its own).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const entityResolutionConfidence = new Histogram({
  name: 'entity_resolution_confidence',
  help: 'Best weighted-match score (0-1) of each new alias against the entities it was compared with.',
  buckets: [0.1, 0.2, 0.3, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  registers: [registry],
});

export const entityResolutionDuration = new Histogram({
  name: 'entity_resolution_duration_seconds',
  help: 'Duration of entity resolution for one graph-build batch (look-ups, matching, writes).',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Records one batch's resolution: its outcomes, the best score of each new alias, its duration. */
export function observeResolution(counts: Readonly<Record<ResolutionOutcome, number>>, scores: readonly number[], seconds: number): void {
  for (const [outcome, count] of Object.entries(counts)) {
    if (count > 0) entityResolutionMatches.inc({ outcome }, count);
  }
  for (const score of scores) entityResolutionConfidence.observe(score);
  entityResolutionDuration.observe(seconds);
}
