// Relationship detection (the seed's "Relationship Detection: detected_total, confidence_histogram"):
// each new edge the graph stores, by type, and its confidence. `type` is bounded by
// RELATIONSHIP_TYPES.
import { Counter, Histogram } from './prom.js';
import { registry } from './registry.js';

export const relationshipsDetected = new Counter({
  name: 'relationships_detected_total',
  help: 'New relationships (graph edges) stored, by type.',
  labelNames: ['type'] as const,
  registers: [registry],
});

export const relationshipConfidence = new Histogram({
  name: 'relationship_confidence',
  help: 'Confidence (0-1) of each new relationship stored, by type.',
  labelNames: ['type'] as const,
  buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  registers: [registry],
});

/** Counts and observes the edges a statement stored (its RETURNING rows). */
export function recordRelationships(stored: ReadonlyArray<{ type: string; confidence: number }>): void {
  for (const { type, confidence } of stored) {
    relationshipsDetected.inc({ type });
    relationshipConfidence.observe({ type }, confidence);
  }
}
