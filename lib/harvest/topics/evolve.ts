// The daily topic job as a pipeline: make sure the taxonomy exists → read the window's signals →
// vectors (cached) → put unassigned signals in topics → form emergent topics from what is left →
// detect emerge / growth / decline / merge / split → apply merges, record events.
//
// The window is the `windowDays` complete UTC days before the run's day, and events are dated on
// that day, so a rerun the same day sees the same signals, assigns nothing more (assignment depends
// only on a signal and fixed topic definitions; new emergent topics are matched against the rest of
// the pool in the same run), forms no new cluster (the pool only shrank), finds nothing more to
// merge (merges repeat until no pair is alike), and its events already exist (ON CONFLICT DO
// NOTHING): it adds nothing.
import { getConfig } from '../../config.js';
import {
  assignSignalTopics,
  createEmergentTopic,
  getTopic,
  listActiveTopics,
  mergeTopics,
  recordTopicEvents,
  topicMembers,
  topicsWithEvent,
  upsertTaxonomyTopics,
  windowSignals,
  type SignalTopicRow,
} from '../../db/topics-repo.js';
import { getDb } from '../../db/client.js';
import type { Db } from '../../db/types.js';
import { TOPIC_EVENT_KINDS, type Topic, type TopicEventKind } from '../../model/topic.js';
import { log as rootLog } from '../../log/index.js';
import type { JobContext } from '../../model/job-context.js';
import { countTopicEvents, recordActiveTopics } from '../../metrics/topic-metrics.js';
import { findClusters } from './clustering.js';
import { detectEvolution, type TopicMember, type TopicSnapshot } from './evolution.js';
import { assignTopics, compileTopic, signalFeatures, TAXONOMY, type CompiledTopic, type SignalFeatures, type TaxonomyTopic } from './taxonomy.js';
import { defaultVectorCache, type VectorCache, type VectorCacheReason } from './vector-cache.js';
import { signalText, tokenize } from './vectors.js';

const DAY_MS = 86_400_000;
/** merged_into links followed at most when a cluster's path belongs to a merged topic. */
const MAX_MERGE_HOPS = 10;

export interface EvolveOptions {
  /** The run's time: events are dated on its UTC day, and the window ends at that day's midnight. */
  now: Date;
  /** Complete UTC days before `now`'s day that the run looks at (config TOPIC_WINDOW_DAYS). */
  windowDays: number;
  /**
   * The evolve-topics run, as runJob created it: once its shouldStop() is true no further stage
   * starts (the run returns what it did), and its log gets the warnings. Default: no budget, the
   * process logger.
   */
  run?: Pick<JobContext, 'shouldStop' | 'log'>;
  /** Default: config MIN_SIGNALS_PER_TOPIC (3). */
  minMembers?: number;
  /** Default: config TOPIC_MERGE_SIMILARITY (0.85). */
  mergeSimilarity?: number;
  /** Default: config TOPIC_SPLIT_SIMILARITY (0.70). */
  splitSimilarity?: number;
  /** Where signal vectors come from. Default: `defaultVectorCache()` (Upstash, or memory). */
  vectors?: VectorCache;
  /** Signals of the window looked at, newest first. Default 20,000. */
  maxSignals?: number;
  /** The configured topics. Default TAXONOMY. */
  taxonomy?: readonly TaxonomyTopic[];
}

/** The stages, in order; `stoppedBefore` names the first one a run did not start. */
export type EvolveStage = 'assign' | 'emerge' | 'evolve';

export interface EvolveResult {
  /** The events' day, `YYYY-MM-DD`. */
  day: string;
  window: { since: string; until: string };
  /** Signals of the window looked at. */
  signals: number;
  /** signal_topics rows added. */
  assigned: number;
  /** Emergent topics created. */
  topicsCreated: number;
  /** Topics merged into another. */
  merged: number;
  /** Events recorded (new ones: a rerun's are 0), by kind. */
  events: Record<TopicEventKind, number>;
  vectorCache: { hits: number; misses: number; reason?: VectorCacheReason };
  /** Set when shouldStop() ended the run early; the next run does the rest. */
  stoppedBefore?: EvolveStage;
}

/** The window a run on `now` looks at: the `windowDays` complete UTC days before now's day. */
export function evolutionWindow(now: Date, windowDays: number): { day: string; since: Date; until: Date } {
  const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return { day: until.toISOString().slice(0, 10), since: new Date(until.getTime() - windowDays * DAY_MS), until };
}

interface Prepared {
  id: string;
  publishedAt: Date;
  topicIds: readonly string[];
  tokens: string[];
  features: SignalFeatures;
}

/** Assignment rows for `signals`, each pair once. */
function assignmentRows(signals: readonly Prepared[], taxonomy: readonly CompiledTopic[], emergent: readonly CompiledTopic[]): SignalTopicRow[] {
  return signals.flatMap((signal) =>
    assignTopics(signal.features, taxonomy, emergent).map((assignment) => ({ signalId: signal.id, topicId: assignment.topicId, weight: assignment.weight })),
  );
}

/** The active topic a cluster's path leads to: itself, or where it was merged (followed a few hops). */
async function activeTarget(db: Db, topic: Topic): Promise<Topic | undefined> {
  let current: Topic | undefined = topic;
  for (let hop = 0; current !== undefined && hop < MAX_MERGE_HOPS; hop++) {
    if (current.status === 'active') return current;
    if (current.mergedInto === null) return undefined;
    current = await getTopic(db, current.mergedInto);
  }
  return undefined;
}

export async function evolveTopics(db: Db, options: EvolveOptions): Promise<EvolveResult> {
  const config = getConfig();
  const minMembers = options.minMembers ?? config.MIN_SIGNALS_PER_TOPIC;
  const shouldStop = (): boolean => options.run?.shouldStop() ?? false;
  const jobLog = options.run?.log ?? rootLog;
  const { day, since, until } = evolutionWindow(options.now, options.windowDays);
  const result: EvolveResult = {
    day,
    window: { since: since.toISOString(), until: until.toISOString() },
    signals: 0,
    assigned: 0,
    topicsCreated: 0,
    merged: 0,
    events: Object.fromEntries(TOPIC_EVENT_KINDS.map((kind) => [kind, 0])) as Record<TopicEventKind, number>,
    vectorCache: { hits: 0, misses: 0 },
  };

  // Read: the taxonomy as configured, the active topics, the window's signals and their vectors.
  await upsertTaxonomyTopics(db, options.taxonomy ?? TAXONOMY);
  const topics = await listActiveTopics(db);
  const rows = await windowSignals(db, { since, until, limit: options.maxSignals ?? 20_000 });
  result.signals = rows.length;
  const texts = rows.map(signalText);
  const lookup = await (options.vectors ?? defaultVectorCache()).vectors(texts);
  result.vectorCache = { hits: lookup.hits, misses: lookup.misses, ...(lookup.reason === undefined ? {} : { reason: lookup.reason }) };
  const prepared: Prepared[] = rows.map((row, i) => {
    const tokens = tokenize(texts[i] ?? '');
    const vector = lookup.vectors[i] ?? new Float32Array(0);
    return { id: row.id, publishedAt: row.publishedAt, topicIds: row.topicIds, tokens, features: signalFeatures(tokens, vector) };
  });
  const taxonomy = topics.filter((topic) => topic.kind === 'taxonomy').map(compileTopic);
  const emergent = topics.filter((topic) => topic.kind === 'emergent').map(compileTopic);

  // Assign: signals in no active topic yet.
  if (shouldStop()) return { ...result, stoppedBefore: 'assign' };
  const unassigned = prepared.filter((signal) => signal.topicIds.length === 0);
  const firstPass = assignmentRows(unassigned, taxonomy, emergent);
  result.assigned += await assignSignalTopics(db, firstPass);

  // Emerge: clusters among what no topic took, as new emergent topics, then the rest of that pool
  // is matched against them, so a rerun has nothing left to assign.
  if (shouldStop()) return { ...result, stoppedBefore: 'emerge' };
  const taken = new Set(firstPass.map((row) => row.signalId));
  const pool = unassigned.filter((signal) => !taken.has(signal.id));
  const clusters = findClusters(
    pool.map((signal) => ({ id: signal.id, tokens: signal.tokens, vector: signal.features.vector })),
    { minMembers },
  );
  const created = new Set<string>();
  const targets: CompiledTopic[] = [];
  const memberRows: SignalTopicRow[] = [];
  for (const cluster of clusters) {
    const outcome = await createEmergentTopic(db, { path: cluster.path, name: cluster.name, keywords: cluster.keywords, centroid: cluster.centroid });
    if (outcome.created) {
      created.add(outcome.topic.id);
      targets.push(compileTopic({ ...outcome.topic, centroid: cluster.centroid }));
      continue;
    }
    // The path is taken (an earlier topic with the same two words): its members join that topic,
    // or the one it was merged into.
    const target = await activeTarget(db, outcome.topic);
    if (target === undefined) {
      jobLog.warn('emergent cluster left unassigned: its path belongs to an inactive topic', { path: cluster.path, members: cluster.memberIds.length });
      continue;
    }
    for (const signalId of cluster.memberIds) memberRows.push({ signalId, topicId: target.id, weight: 1 });
  }
  result.topicsCreated = created.size;
  const secondPass = [...memberRows, ...assignmentRows(pool, [], targets)];
  result.assigned += await assignSignalTopics(db, secondPass);

  // Evolve: every active topic with its members in the window, as the database now has them.
  if (shouldStop()) return { ...result, stoppedBefore: 'evolve' };
  const bySignal = new Map(prepared.map((signal) => [signal.id, signal]));
  const members = new Map<string, TopicMember[]>();
  for (const { topicId, signalId } of await topicMembers(db, { since, until })) {
    const signal = bySignal.get(signalId);
    // A signal past maxSignals has no vector this run: it is left out of this run's evolution.
    if (signal === undefined) continue;
    const list = members.get(topicId) ?? [];
    list.push({ signalId, publishedAt: signal.publishedAt, vector: signal.features.vector, tokens: signal.tokens });
    members.set(topicId, list);
  }
  // New today: created by this run, or by an earlier run today (which recorded its emergence), so
  // a rerun judges it as the first run did.
  const emergedToday = await topicsWithEvent(db, 'emerge', day);
  const snapshots: TopicSnapshot[] = (await listActiveTopics(db)).map((topic) => ({
    id: topic.id,
    path: topic.path,
    kind: topic.kind,
    isNew: created.has(topic.id) || emergedToday.has(topic.id),
    members: members.get(topic.id) ?? [],
  }));
  const evolution = detectEvolution(snapshots, {
    windowStart: since,
    windowEnd: until,
    minMembers,
    mergeSimilarity: options.mergeSimilarity ?? config.TOPIC_MERGE_SIMILARITY,
    splitSimilarity: options.splitSimilarity ?? config.TOPIC_SPLIT_SIMILARITY,
  });
  const absorbed = new Set<string>();
  for (const merge of evolution.merges) {
    if (await db.transaction((tx) => mergeTopics(tx, merge))) {
      result.merged++;
      absorbed.add(merge.absorbedId);
    }
  }
  // Recorded one kind at a time, so the counts say which were new.
  for (const kind of TOPIC_EVENT_KINDS) {
    const ofKind = evolution.events.filter((event) => event.kind === kind).map((event) => ({ ...event, occurredOn: day }));
    result.events[kind] = await recordTopicEvents(db, ofKind);
  }
  countTopicEvents(result.events);
  recordActiveTopics(snapshots.filter((topic) => !absorbed.has(topic.id)).map((topic) => topic.kind));
  return result;
}

/**
 * The evolve-topics job's work: today's run over the last TOPIC_WINDOW_DAYS days, on this
 * container's database, within `run`'s budget.
 */
export async function evolveToday(run: JobContext): Promise<EvolveResult> {
  return evolveTopics(await getDb(), { now: new Date(), windowDays: getConfig().TOPIC_WINDOW_DAYS, run });
}
