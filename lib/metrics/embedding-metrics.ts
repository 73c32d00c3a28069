// Embedding metrics (the seed's "Embedding Metrics": cache_hits, computed_total,
// computation_duration_seconds). Our embeddings are the topic job's signal text vectors
// (lib/harvest/topics/vectors.ts), cached by lib/harvest/topics/vector-cache.ts. No labels: one
// vectoriser, one cache.
import { Counter, Histogram } from './prom.js';
import { registry } from './registry.js';

export const embeddingCacheHits = new Counter({
  name: 'embedding_cache_hits_total',
  help: 'Text vectors found in the vector cache instead of computed.',
  registers: [registry],
});

export const embeddingComputed = new Counter({
  name: 'embedding_computed_total',
  help: 'Text vectors computed (cache misses).',
  registers: [registry],
});

export const embeddingComputationDuration = new Histogram({
  name: 'embedding_computation_duration_seconds',
  help: 'Time to compute one text vector.',
  // A hashed bag-of-words vector takes tens of microseconds; a model-backed one could take 100 ms.
  buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1],
  registers: [registry],
});

/** `vectorize`, counted and timed per call. */
export function timedVectorize<A extends unknown[], R>(vectorize: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    const started = performance.now();
    const vector = vectorize(...args);
    embeddingComputationDuration.observe((performance.now() - started) / 1000);
    embeddingComputed.inc();
    return vector;
  };
}
