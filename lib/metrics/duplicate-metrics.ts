// Near-duplicate metrics (lib/graph/duplicates): same_as pairs stored by the harvest and the
// similarity of the pairs it matched. No labels: the sources of a pair would square the series.
import { Counter, Histogram } from './prom.js';
import { registry } from './registry.js';

export const nearDuplicatesDetected = new Counter({
  name: 'near_duplicates_detected_total',
  help: 'Near-duplicate pairs (same_as edges) newly stored by the harvest.',
  registers: [registry],
});

/** Jaccard similarity of each matched pair (0.5 is the threshold, so the buckets start there). */
export const nearDuplicateSimilarity = new Histogram({
  name: 'near_duplicate_similarity',
  help: 'Jaccard similarity (0-1) of the token sets of each near-duplicate pair the harvest matched.',
  buckets: [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1],
  registers: [registry],
});
