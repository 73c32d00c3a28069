// Topic-evolution metrics (the seed's "Topic Evolution": active_total, merges_detected_total,
// splits_detected_total), moved by the daily topic job (lib/harvest/topics/evolve.ts). Events count
// once, when first recorded: a rerun the same day records none and counts none. `kind` labels are
// the five event kinds and the two topic kinds, so the series stay bounded.
import { Counter, Gauge } from './prom.js';
import { registry } from './registry.js';

export const topicsActive = new Gauge({
  name: 'topics_active',
  help: "Active topics after the topic job's last run, by kind (taxonomy, emergent); the seed's topics_active_total (a gauge, so no _total).",
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const topicMergesDetected = new Counter({
  name: 'topic_merges_detected_total',
  help: 'Topic merges detected and recorded by the topic job.',
  registers: [registry],
});

export const topicSplitsDetected = new Counter({
  name: 'topic_splits_detected_total',
  help: 'Topic splits detected and recorded by the topic job.',
  registers: [registry],
});

export const topicEvents = new Counter({
  name: 'topic_events_total',
  help: 'Topic evolution events recorded by the topic job, by kind (emerge, growth, decline, merge, split).',
  labelNames: ['kind'] as const,
  registers: [registry],
});

/** Counts the events a run newly recorded, by kind. */
export function countTopicEvents(counts: Readonly<Record<string, number>>): void {
  for (const [kind, count] of Object.entries(counts)) {
    if (count <= 0) continue;
    topicEvents.inc({ kind }, count);
    if (kind === 'merge') topicMergesDetected.inc(count);
    if (kind === 'split') topicSplitsDetected.inc(count);
  }
}

/** Sets topics_active from the kinds of the topics active after a run (every kind, 0 when none). */
export function recordActiveTopics(kinds: readonly string[], allKinds: readonly string[] = ['taxonomy', 'emergent']): void {
  for (const kind of allKinds) topicsActive.set({ kind }, kinds.filter((k) => k === kind).length);
}
