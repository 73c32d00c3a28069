// How topics changed over a window, as events (pure: topics and their members in, events out):
//   emerge   a topic new on the run's day, with at least `minMembers` members;
//   growth   members in the recent half of the window against the earlier half: a rate of at least
//            GROWTH_MIN_RATE and at least `minMembers` more;
//   decline  the same, down: a rate of at most DECLINE_MAX_RATE and at least `minMembers` fewer;
//   merge    two topics whose recent centroids are at least `mergeSimilarity` alike become one (the
//            event is on the absorbed topic); repeated until no pair is that alike, so a rerun finds
//            nothing more to merge;
//   split    a topic whose members form two groups (2-means, deterministic start) each of at least
//            `minMembers`, each cohesive, whose centroids are less than `splitSimilarity` alike.
// Every decision is sorted by id or value, so the same input always gives the same events.
import type { TopicEventKind, TopicKind } from '../../model/topic.js';
import { centroid, cosine, meanPairwiseSimilarity } from './vectors.js';

/** Growth: recent members at least 1.5 × the earlier half's (rate = (recent − earlier) / max(earlier, 1)). */
export const GROWTH_MIN_RATE = 0.5;
/** Decline: recent members at most half the earlier half's. */
export const DECLINE_MAX_RATE = -0.5;
/**
 * A split's groups must each hold together: the mean cosine between two members of a group at
 * least this. Without it any broad topic would "split": two halves of unrelated posts have
 * dissimilar centroids too.
 */
export const SPLIT_MIN_COHESION = 0.3;
/** 2-means stops after this many rounds if assignments still move (they settle in a few). */
export const KMEANS_MAX_ROUNDS = 20;
/** Member ids kept in a split's details, per group. */
const SAMPLE_SIZE = 5;
/** Words named per split group. */
const GROUP_KEYWORDS = 5;

export interface TopicMember {
  /** int8 as a decimal string. */
  signalId: string;
  publishedAt: Date;
  vector: Float32Array;
  /** The signal's tokens, to name a split's groups by their commonest words. */
  tokens?: readonly string[];
}

export interface TopicSnapshot {
  id: string;
  path: string;
  kind: TopicKind;
  /** New on the run's day (created by this run, or by an earlier run the same day): it emerges, and does not also "grow". */
  isNew: boolean;
  /** Its members published within the window. */
  members: readonly TopicMember[];
}

export interface EvolutionOptions {
  /** The window, [start, end); its midpoint separates the earlier half from the recent one. */
  windowStart: Date;
  windowEnd: Date;
  /** Config MIN_SIGNALS_PER_TOPIC. */
  minMembers: number;
  /** Config TOPIC_MERGE_SIMILARITY (0.85). */
  mergeSimilarity: number;
  /** Config TOPIC_SPLIT_SIMILARITY (0.70). */
  splitSimilarity: number;
}

export interface EvolutionEvent {
  topicId: string;
  kind: TopicEventKind;
  /** JSON-able; what the API shows under `details`. */
  details: Record<string, unknown>;
}

export interface MergeDecision {
  /** The topic that stops (status merged, merged_into = intoId). */
  absorbedId: string;
  intoId: string;
  similarity: number;
}

export interface EvolutionResult {
  /** In order: emerge (by topic id), merge (as decided), then per remaining topic by id: growth or decline, split. */
  events: EvolutionEvent[];
  merges: MergeDecision[];
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

interface Working {
  topic: TopicSnapshot;
  members: Map<string, TopicMember>;
  /** Recent-half centroid, when the topic has at least minMembers recent members; recomputed after a merge. */
  recent: Float32Array | undefined;
}

function inWindow(member: TopicMember, options: EvolutionOptions): boolean {
  const time = member.publishedAt.getTime();
  return time >= options.windowStart.getTime() && time < options.windowEnd.getTime();
}

function midpoint(options: EvolutionOptions): number {
  return (options.windowStart.getTime() + options.windowEnd.getTime()) / 2;
}

function recentCentroid(members: Iterable<TopicMember>, options: EvolutionOptions): Float32Array | undefined {
  const mid = midpoint(options);
  const recent = [...members].filter((member) => member.publishedAt.getTime() >= mid);
  return recent.length >= options.minMembers ? centroid(recent.map((member) => member.vector)) : undefined;
}

/**
 * Which of two alike topics goes: never a taxonomy topic for an emergent one (the configured
 * taxonomy stays whole; two taxonomy topics never merge), else the one with fewer members, else the
 * newer (larger id).
 */
function absorbedOf(a: Working, b: Working): Working {
  if (a.topic.kind !== b.topic.kind) return a.topic.kind === 'emergent' ? a : b;
  if (a.members.size !== b.members.size) return a.members.size < b.members.size ? a : b;
  return compareIds(a.topic.id, b.topic.id) > 0 ? a : b;
}

function detectMerges(working: Working[], options: EvolutionOptions): { merges: MergeDecision[]; events: EvolutionEvent[] } {
  const merges: MergeDecision[] = [];
  const events: EvolutionEvent[] = [];
  for (;;) {
    let best: { a: Working; b: Working; similarity: number } | undefined;
    for (let i = 0; i < working.length; i++) {
      const a = working[i];
      if (a?.recent === undefined) continue;
      for (let j = i + 1; j < working.length; j++) {
        const b = working[j];
        if (b?.recent === undefined || (a.topic.kind === 'taxonomy' && b.topic.kind === 'taxonomy')) continue;
        const similarity = cosine(a.recent, b.recent);
        // Strictly greater: among equals the first pair in id order wins.
        if (similarity >= options.mergeSimilarity && (best === undefined || similarity > best.similarity)) best = { a, b, similarity };
      }
    }
    if (best === undefined) return { merges, events };
    const absorbed = absorbedOf(best.a, best.b);
    const into = absorbed === best.a ? best.b : best.a;
    for (const [id, member] of absorbed.members) if (!into.members.has(id)) into.members.set(id, member);
    into.recent = recentCentroid(into.members.values(), options);
    working.splice(working.indexOf(absorbed), 1);
    const similarity = round(best.similarity);
    merges.push({ absorbedId: absorbed.topic.id, intoId: into.topic.id, similarity });
    events.push({
      topicId: absorbed.topic.id,
      kind: 'merge',
      details: {
        from: { id: absorbed.topic.id, path: absorbed.topic.path },
        into: { id: into.topic.id, path: into.topic.path },
        similarity,
        members: absorbed.members.size,
      },
    });
  }
}

/** Earlier-half and recent-half counts, and the growth rate between them. */
export function growthOf(members: Iterable<TopicMember>, options: Pick<EvolutionOptions, 'windowStart' | 'windowEnd'>): { earlier: number; recent: number; rate: number } {
  const mid = (options.windowStart.getTime() + options.windowEnd.getTime()) / 2;
  let earlier = 0;
  let recent = 0;
  for (const member of members) {
    if (member.publishedAt.getTime() >= mid) recent++;
    else earlier++;
  }
  return { earlier, recent, rate: (recent - earlier) / Math.max(earlier, 1) };
}

/** Commonest tokens among `members` (ties alphabetical). */
function commonWords(members: readonly TopicMember[]): string[] {
  const counts = new Map<string, number>();
  for (const member of members) for (const token of new Set(member.tokens ?? [])) counts.set(token, (counts.get(token) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, GROUP_KEYWORDS)
    .map(([token]) => token);
}

/** The member least like `center` (ties: the first, in id order). */
function farthestFrom(members: readonly TopicMember[], center: Float32Array): TopicMember | undefined {
  let found: TopicMember | undefined;
  let lowest = Number.POSITIVE_INFINITY;
  for (const member of members) {
    const similarity = cosine(member.vector, center);
    if (similarity < lowest) {
      lowest = similarity;
      found = member;
    }
  }
  return found;
}

export interface TwoGroups {
  groups: [TopicMember[], TopicMember[]];
  centroids: [Float32Array, Float32Array];
}

/**
 * 2-means on cosine: starts from the member farthest from the centroid and the member farthest from
 * that one, then alternates assigning (ties to the first group) and recentring until nothing moves.
 * `members` must be in a fixed order (the caller sorts by id). Undefined for fewer than two members.
 */
export function twoMeans(members: readonly TopicMember[]): TwoGroups | undefined {
  if (members.length < 2) return undefined;
  const first = farthestFrom(members, centroid(members.map((member) => member.vector)));
  if (first === undefined) return undefined;
  const second = farthestFrom(members, first.vector);
  if (second === undefined || second === first) return undefined;
  let centroids: [Float32Array, Float32Array] = [first.vector, second.vector];
  let assignment: number[] = [];
  for (let pass = 0; pass < KMEANS_MAX_ROUNDS; pass++) {
    const next = members.map((member) => (cosine(member.vector, centroids[1]) > cosine(member.vector, centroids[0]) ? 1 : 0));
    if (next.every((group, i) => group === assignment[i])) break;
    assignment = next;
    const a = members.filter((_, i) => assignment[i] === 0);
    const b = members.filter((_, i) => assignment[i] === 1);
    if (a.length === 0 || b.length === 0) return undefined;
    centroids = [centroid(a.map((member) => member.vector)), centroid(b.map((member) => member.vector))];
  }
  return { groups: [members.filter((_, i) => assignment[i] === 0), members.filter((_, i) => assignment[i] === 1)], centroids };
}

function detectSplit(topic: TopicSnapshot, members: readonly TopicMember[], options: EvolutionOptions): EvolutionEvent | undefined {
  if (members.length < 2 * options.minMembers) return undefined;
  const split = twoMeans([...members].sort((a, b) => compareIds(a.signalId, b.signalId)));
  if (split === undefined) return undefined;
  const [a, b] = split.groups;
  if (a.length < options.minMembers || b.length < options.minMembers) return undefined;
  const similarity = cosine(split.centroids[0], split.centroids[1]);
  if (similarity >= options.splitSimilarity) return undefined;
  const cohesions = [a, b].map((group) => meanPairwiseSimilarity(group.map((member) => member.vector)));
  if (cohesions.some((value) => value < SPLIT_MIN_COHESION)) return undefined;
  // The larger group first (ties: the one holding the smallest id), so details read the same every run.
  const groups = [0, 1]
    .map((index) => ({ members: split.groups[index] ?? [], cohesion: cohesions[index] ?? 0 }))
    .sort((x, y) => y.members.length - x.members.length || compareIds(x.members[0]?.signalId ?? '', y.members[0]?.signalId ?? ''));
  return {
    topicId: topic.id,
    kind: 'split',
    details: {
      path: topic.path,
      similarity: round(similarity),
      groups: groups.map((group) => ({
        size: group.members.length,
        cohesion: round(group.cohesion),
        keywords: commonWords(group.members),
        sample: group.members.slice(0, SAMPLE_SIZE).map((member) => member.signalId),
      })),
    },
  };
}

/** The events of one run over `topics` (each with its members in the window), and the merges to apply. */
export function detectEvolution(topics: readonly TopicSnapshot[], options: EvolutionOptions): EvolutionResult {
  const working: Working[] = [...topics]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((topic) => {
      const members = new Map<string, TopicMember>();
      for (const member of topic.members) if (inWindow(member, options)) members.set(member.signalId, member);
      return { topic, members, recent: recentCentroid(members.values(), options) };
    });
  const emerged = new Set<string>();
  const events: EvolutionEvent[] = [];
  // A new topic emerged before anything else happened to it, merged or not.
  for (const { topic, members } of working) {
    if (!topic.isNew || members.size < options.minMembers) continue;
    emerged.add(topic.id);
    events.push({ topicId: topic.id, kind: 'emerge', details: { path: topic.path, members: members.size } });
  }

  const merged = detectMerges(working, options);
  events.push(...merged.events);

  const window = { start: options.windowStart.toISOString(), end: options.windowEnd.toISOString() };
  for (const { topic, members } of working) {
    const { earlier, recent, rate } = growthOf(members.values(), options);
    const change = { earlier, recent, rate: round(rate), window };
    // An emerging topic grows by definition: its emergence says so once.
    if (!emerged.has(topic.id) && recent >= options.minMembers && rate >= GROWTH_MIN_RATE && recent - earlier >= options.minMembers) {
      events.push({ topicId: topic.id, kind: 'growth', details: change });
    } else if (earlier >= options.minMembers && rate <= DECLINE_MAX_RATE && earlier - recent >= options.minMembers) {
      events.push({ topicId: topic.id, kind: 'decline', details: change });
    }
    const split = detectSplit(topic, [...members.values()], options);
    if (split !== undefined) events.push(split);
  }
  return { events, merges: merged.merges };
}
