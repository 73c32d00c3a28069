// The seed's metric catalogue ("Metrics Delivered" in seed 003, "Available Metrics" in seed 000) as
// Signal Harvester exports it: each seed name, the name we export (Prometheus conventions: `_total`
// only on counters, base units in the name), its type and labels. Documentation as data: the
// catalogue test (test/integration/lib/metrics/catalogue.test.ts) checks each entry is exported as
// described, moves when its action happens, and is read by a dashboard panel or an alert rule.
// The knowledge graph's entity-resolution metrics (the ancestor's "Entity Resolution") are here too.
// Nothing at run time imports this module.

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface CatalogueEntry {
  /** The seed's category and name as it wrote them. */
  seed: string;
  /** The exported name. */
  name: string;
  type: MetricType;
  labels: readonly string[];
  /** Where it moves. */
  movedBy: string;
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  // HTTP
  { seed: 'HTTP request_total', name: 'http_requests_total', type: 'counter', labels: ['method', 'endpoint', 'status'], movedBy: 'every answered request (lib/http/metrics.ts)' },
  { seed: 'HTTP request_duration_seconds', name: 'http_request_duration_seconds', type: 'histogram', labels: ['method', 'endpoint', 'status'], movedBy: 'every answered request' },
  { seed: 'HTTP requests_in_progress', name: 'http_requests_in_progress', type: 'gauge', labels: ['method', 'endpoint'], movedBy: 'a request while it is handled' },
  // Database
  { seed: 'Database query_duration_seconds', name: 'db_query_duration_seconds', type: 'histogram', labels: ['operation', 'table'], movedBy: 'every statement (lib/db/instrumented.ts)' },
  { seed: 'Database queries_total', name: 'db_queries_total', type: 'counter', labels: ['operation', 'table', 'status'], movedBy: 'every statement' },
  { seed: 'Database connections_active', name: 'db_connections_active', type: 'gauge', labels: [], movedBy: 'the Neon pool opening or closing a connection (lib/db/neon.ts)' },
  // Cache
  { seed: 'Cache hits_total', name: 'cache_hits_total', type: 'counter', labels: ['cache_type', 'cache_name'], movedBy: 'a look-up answered by the API-key or vector cache' },
  { seed: 'Cache misses_total', name: 'cache_misses_total', type: 'counter', labels: ['cache_type', 'cache_name'], movedBy: 'a look-up the cache could not answer' },
  { seed: 'Cache size_bytes', name: 'cache_size_bytes', type: 'gauge', labels: ['cache_type', 'cache_name'], movedBy: 'a cache filling (read at collect) or a vector look-up' },
  { seed: 'Cache items_total', name: 'cache_items', type: 'gauge', labels: ['cache_type', 'cache_name'], movedBy: 'a cache filling (read at collect) or a vector look-up' },
  // Embedding (the topic job's text vectors)
  { seed: 'Embedding cache_hits', name: 'embedding_cache_hits_total', type: 'counter', labels: [], movedBy: 'a text vector found in the vector cache' },
  { seed: 'Embedding computed_total', name: 'embedding_computed_total', type: 'counter', labels: [], movedBy: 'a text vector computed' },
  { seed: 'Embedding computation_duration_seconds', name: 'embedding_computation_duration_seconds', type: 'histogram', labels: [], movedBy: 'a text vector computed' },
  // Rate limiter
  { seed: 'Rate Limiter requests_total', name: 'rate_limit_requests_total', type: 'counter', labels: ['tier', 'result'], movedBy: 'every limiter decision (lib/ratelimit/limiter.ts)' },
  { seed: 'Rate Limiter denials_total', name: 'rate_limit_denials_total', type: 'counter', labels: ['tier'], movedBy: 'a request refused with 429' },
  { seed: 'Rate Limiter buckets_active', name: 'rate_limit_buckets_active', type: 'gauge', labels: [], movedBy: 'a bucket created in the memory store (read at collect)' },
  // Discovery pipeline
  { seed: 'Discovery fetched_total', name: 'discoveries_fetched_total', type: 'counter', labels: ['source'], movedBy: 'a source fetched by the harvest (lib/harvest/pipeline.ts)' },
  { seed: 'Discovery score_histogram', name: 'discovery_score', type: 'histogram', labels: ['source'], movedBy: 'an artifact scored (lib/harvest/ingest.ts)' },
  { seed: 'Discovery pipeline_duration_seconds', name: 'discovery_pipeline_duration_seconds', type: 'histogram', labels: ['stage'], movedBy: 'each stage of a harvest run' },
  // Knowledge graph: relationships (lib/graph/)
  { seed: 'Relationship Detection detected_total', name: 'relationships_detected_total', type: 'counter', labels: ['type'], movedBy: 'a new graph edge stored by the graph-build job (lib/graph/link.ts) or near-duplicate detection' },
  { seed: 'Relationship Detection confidence_histogram', name: 'relationship_confidence', type: 'histogram', labels: ['type'], movedBy: 'a new graph edge stored' },
  // Topic evolution
  { seed: 'Topic Evolution active_total', name: 'topics_active', type: 'gauge', labels: ['kind'], movedBy: 'a topic job run (lib/harvest/topics/evolve.ts)' },
  { seed: 'Topic Evolution merges_detected_total', name: 'topic_merges_detected_total', type: 'counter', labels: [], movedBy: 'a merge recorded by the topic job' },
  { seed: 'Topic Evolution splits_detected_total', name: 'topic_splits_detected_total', type: 'counter', labels: [], movedBy: 'a split recorded by the topic job' },
  // Background tasks (our scheduled jobs)
  { seed: 'Background Tasks active', name: 'job_runs_in_progress', type: 'gauge', labels: ['job'], movedBy: 'a job run while its work runs (lib/job.ts)' },
  { seed: 'Background Tasks completed_total', name: 'job_runs_total', type: 'counter', labels: ['job', 'status'], movedBy: 'a job run finishing' },
  { seed: 'Background Tasks duration_seconds', name: 'job_duration_seconds', type: 'histogram', labels: ['job'], movedBy: 'a job run finishing' },
  // Errors
  { seed: 'Errors errors_total', name: 'errors_total', type: 'counter', labels: ['type', 'severity'], movedBy: 'a 5xx answer (lib/http/errors.ts)' },
  { seed: 'Errors exceptions_unhandled_total', name: 'exceptions_unhandled_total', type: 'counter', labels: ['handler'], movedBy: 'an exception only the last-resort handler caught (HTTP or job)' },
  // LLM
  { seed: 'LLM requests_total', name: 'llm_requests_total', type: 'counter', labels: ['provider', 'model', 'status'], movedBy: 'an LLM request answered or failed (lib/harvest/classify/llm.ts)' },
  { seed: 'LLM request_duration_seconds', name: 'llm_request_duration_seconds', type: 'histogram', labels: ['provider', 'model', 'status'], movedBy: 'an LLM request answered or failed' },
  { seed: 'LLM tokens_used_total', name: 'llm_tokens_used_total', type: 'counter', labels: ['provider', 'model', 'status', 'type'], movedBy: "an LLM answer reporting its usage" },
  // Knowledge graph: near-duplicates (issue 15; the seed's Relationship Detection, for same_as)
  { seed: 'Relationship Detection detected_total (same_as)', name: 'near_duplicates_detected_total', type: 'counter', labels: [], movedBy: 'a near-duplicate pair stored by the harvest (lib/graph/duplicates/detect.ts)' },
  { seed: 'Relationship Detection confidence_histogram (same_as)', name: 'near_duplicate_similarity', type: 'histogram', labels: [], movedBy: 'a near-duplicate pair matched by the harvest' },
  // Entity resolution (the knowledge graph)
  { seed: 'Entity Resolution matches_total', name: 'entity_resolution_matches_total', type: 'counter', labels: ['outcome'], movedBy: 'an entity mention resolved by the graph-build job (lib/graph/entities/resolve.ts)' },
  { seed: 'Entity Resolution confidence_histogram', name: 'entity_resolution_confidence', type: 'histogram', labels: [], movedBy: 'a new alias compared with existing entities' },
  { seed: 'Entity Resolution duration_seconds', name: 'entity_resolution_duration_seconds', type: 'histogram', labels: [], movedBy: "a graph-build batch's entity resolution" },
];
