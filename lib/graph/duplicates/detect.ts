// Near-duplicate detection over batches of stored signals (the graph-build job's step, after the
// harvest stored them), in two steps per batch. `plan`: each item's fingerprint, its candidates
// (stored signals sharing an LSH band key, found by index lookup within the time window, and the
// batch's other items from an in-memory band index) and the matches among them (Jaccard ≥
// threshold). `record`: fingerprints stored, same_as edges written, groups merged; it returns the
// groups it touched, whose artifacts are then rescored (rescore.ts). A caller records each batch
// before planning the next, so an earlier batch's items are found in the database.
import { insertEdges } from '../../db/signal-edges-repo.js';
import {
  findCandidates,
  groupsOf,
  moveToGroups,
  signalIdsByKey,
  storeFingerprints,
  type BandProbe,
  type GroupMove,
} from '../../db/near-duplicates-repo.js';
import type { Queryable } from '../../db/types.js';
import { nearDuplicateSimilarity, nearDuplicatesDetected } from '../../metrics/duplicate-metrics.js';
import type { NewEdge } from '../../model/relationship.js';
import { fingerprintOf } from './fingerprint.js';
import { bandKeys, jaccard, minhash } from './minhash.js';
import { MAX_CANDIDATES_PER_KEY, MAX_COMPARED_PER_ITEM, MAX_MATCHES_PER_ITEM, SIMILARITY_THRESHOLD, WINDOW_HOURS, WINDOW_MS } from './params.js';

/** What detection reads of an item (a HarvestedItem has it). */
export interface DuplicateItem {
  /** The stored id when the caller knows it (record looks the others up by source and sourceId). */
  id?: string;
  source: string;
  sourceId: string;
  title: string;
  text: string;
  publishedAt: Date;
}

/** An item of this run, or a stored signal, as matching sees it. */
interface Entry {
  key: string;
  /** Ascending, distinct (one array type for all entries: the comparison loop stays monomorphic). */
  tokens: Int32Array;
  bandKeys: readonly number[];
  publishedMs: number;
  /** The stored id: known for stored candidates, set for the batch's items when it is recorded. */
  id?: string;
}

interface Match {
  entry: Entry;
  similarity: number;
}

interface Planned {
  entry: Entry;
  matches: Match[];
}

/** One batch's detection, from `plan` to `record`. */
export interface DuplicatePlan {
  readonly planned: ReadonlyMap<DuplicateItem, Planned>;
}

export interface DuplicateRunOptions {
  /** Stored signals whose tokens and band keys are remembered across batches, at most. Default 50,000. */
  maxRemembered?: number;
}

export interface RecordResult {
  /** same_as edges newly stored. */
  edges: number;
  /** Signals whose duplicate group changed. */
  regrouped: number;
  /** The groups that gained members or merged (their ids after the change). */
  groups: string[];
}

/** Whether two ascending token lists are the same. */
function sameTokens(a: Int32Array, b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/** Keys kept in the compared-with map before it is cleared (between two items, so nothing is lost). */
const SEEN_KEYS_KEPT = 100_000;

function keyOf(item: { source: string; sourceId: string }): string {
  return `${item.source}\u0000${item.sourceId}`;
}

/** Adds `entry` under each of its band keys, at most MAX_CANDIDATES_PER_KEY per key. */
function addToIndex(index: Map<number, Entry[]>, entry: Entry): void {
  for (const key of entry.bandKeys) {
    const bucket = index.get(key);
    if (bucket === undefined) index.set(key, [entry]);
    else if (bucket.length < MAX_CANDIDATES_PER_KEY) bucket.push(entry);
  }
}

/** Drop-in order: larger id first, so a pair is one edge whichever of the two was ingested first. */
function byId(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export class DuplicateRun {
  readonly #db: Queryable;
  readonly #maxRemembered: number;
  /** Tokens and band keys by stored id (at most maxRemembered), so a recurring candidate is hashed once. */
  readonly #signatures = new Map<string, { tokens: Int32Array; bandKeys: readonly number[] }>();
  /** The stamp of the last item each key was compared with (see #matches). */
  readonly #seenAt = new Map<string, number>();
  #stamp = 0;
  #recorded: Promise<unknown> = Promise.resolve();

  constructor(db: Queryable, options: DuplicateRunOptions = {}) {
    this.#db = db;
    this.#maxRemembered = options.maxRemembered ?? 50_000;
  }

  /** Fingerprints and matches for a batch (one query for the stored candidates of all its items). */
  async plan(items: readonly DuplicateItem[]): Promise<DuplicatePlan> {
    const planned = new Map<DuplicateItem, Planned>();
    // Each band key's window, as ms: the union of the windows of the batch's items carrying it.
    const windows = new Map<number, { from: number; to: number }>();
    for (const item of items) {
      const fingerprint = fingerprintOf(item.title, item.text);
      if (fingerprint === undefined) continue;
      const publishedMs = item.publishedAt.getTime();
      if (!Number.isFinite(publishedMs)) continue;
      const entry: Entry = { key: keyOf(item), tokens: fingerprint.tokens, bandKeys: fingerprint.bandKeys, publishedMs };
      planned.set(item, { entry, matches: [] });
      const from = publishedMs - WINDOW_MS;
      const to = publishedMs + WINDOW_MS;
      for (const key of fingerprint.bandKeys) {
        const window = windows.get(key);
        if (window === undefined) windows.set(key, { from, to });
        else {
          window.from = Math.min(window.from, from);
          window.to = Math.max(window.to, to);
        }
      }
    }
    const probes: BandProbe[] = [];
    for (const [key, { from, to }] of windows) probes.push({ key, from: new Date(from), to: new Date(to) });
    const stored = new Map<number, Entry[]>();
    for (const candidate of await findCandidates(this.#db, probes, MAX_CANDIDATES_PER_KEY)) {
      const entry: Entry = {
        key: keyOf(candidate),
        id: candidate.id,
        ...this.#storedSignature(candidate.id, candidate.tokens),
        publishedMs: candidate.publishedAt.getTime(),
      };
      for (const key of entry.bandKeys) {
        if (!windows.has(key)) continue;
        const bucket = stored.get(key);
        if (bucket === undefined) stored.set(key, [entry]);
        else if (bucket.length < MAX_CANDIDATES_PER_KEY) bucket.push(entry);
      }
    }
    // The batch's items by band key, each matched against those before it.
    const batchIndex = new Map<number, Entry[]>();
    for (const { entry, matches } of planned.values()) {
      matches.push(...this.#matches(entry, stored, batchIndex));
      addToIndex(batchIndex, entry);
    }
    return { planned };
  }

  /** Stores a planned batch's fingerprints, edges and groups; call after the batch is upserted. */
  record(plan: DuplicatePlan): Promise<RecordResult> {
    const recorded = this.#recorded.then(() => this.#record(plan));
    this.#recorded = recorded.catch(() => undefined);
    return recorded;
  }

  /** The matches of `entry` among stored candidates and the batch's earlier items: best first, bounded. */
  #matches(entry: Entry, stored: ReadonlyMap<number, Entry[]>, batchIndex: ReadonlyMap<number, Entry[]>): Match[] {
    // Keys compared with this entry are marked with its stamp in one map kept across items (a Set
    // per item was most of the run's garbage); cleared between items when it grows large.
    const stamp = (this.#stamp += 1);
    if (this.#seenAt.size > SEEN_KEYS_KEPT) this.#seenAt.clear();
    this.#seenAt.set(entry.key, stamp);
    let seen = 1;
    const matches: Match[] = [];
    const size = entry.tokens.length;
    for (const key of entry.bandKeys) {
      // The key's stored candidates, then the batch's items, each list walked in place.
      candidates: for (let pass = 0; pass < 2; pass += 1) {
        const list = pass === 0 ? stored.get(key) : batchIndex.get(key);
        if (list === undefined) continue;
        for (const candidate of list) {
          if (this.#seenAt.get(candidate.key) === stamp) continue;
          // A flood of near-identical posts: enough compared, the group is joined.
          if (seen > MAX_COMPARED_PER_ITEM) break candidates;
          this.#seenAt.set(candidate.key, stamp);
          seen += 1;
          if (Math.abs(candidate.publishedMs - entry.publishedMs) > WINDOW_MS) continue;
          // |A ∩ B| / |A ∪ B| ≤ min(|A|, |B|) / max(|A|, |B|): a pair of very different sizes cannot match.
          const other = candidate.tokens.length;
          if ((size < other ? size / other : other / size) < SIMILARITY_THRESHOLD) continue;
          const similarity = jaccard(entry.tokens, candidate.tokens);
          if (similarity >= SIMILARITY_THRESHOLD) matches.push({ entry: candidate, similarity });
        }
      }
    }
    return matches.sort((a, b) => b.similarity - a.similarity).slice(0, MAX_MATCHES_PER_ITEM);
  }

  /**
   * A stored candidate's tokens and band keys. The keys are recomputed from the tokens (a stored
   * band row may be an older text's), but once per signal and text in a run: the same stored
   * signals come back as candidates batch after batch, and the run's own items are known already.
   */
  #storedSignature(id: string, stored: readonly number[]): { tokens: Int32Array; bandKeys: readonly number[] } {
    const known = this.#signatures.get(id);
    if (known !== undefined && sameTokens(known.tokens, stored)) return known;
    const tokens = Int32Array.from(stored);
    const signature = { tokens, bandKeys: bandKeys(minhash(tokens)) };
    this.#remember(id, signature);
    return signature;
  }

  #remember(id: string, signature: { tokens: Int32Array; bandKeys: readonly number[] }): void {
    if (this.#signatures.size >= this.#maxRemembered && !this.#signatures.has(id)) return;
    this.#signatures.set(id, signature);
  }

  async #record(plan: DuplicatePlan): Promise<RecordResult> {
    const batch = [...plan.planned.entries()];
    if (batch.length === 0) return { edges: 0, regrouped: 0, groups: [] };
    const unknown = batch.flatMap(([item]) => (item.id === undefined ? [item] : []));
    const ids = await signalIdsByKey(this.#db, unknown);
    for (const [item, { entry }] of batch) {
      entry.id = item.id ?? ids.get(keyOf(item));
      if (entry.id !== undefined) this.#remember(entry.id, { tokens: entry.tokens, bandKeys: entry.bandKeys });
    }
    await storeFingerprints(
      this.#db,
      batch.flatMap(([item, { entry }]) =>
        entry.id === undefined ? [] : [{ signalId: entry.id, publishedAt: item.publishedAt, tokens: Array.from(entry.tokens), bandKeys: entry.bandKeys }],
      ),
    );
    const edges: NewEdge[] = [];
    for (const { entry, matches } of plan.planned.values()) {
      for (const { entry: other, similarity } of matches) {
        if (entry.id === undefined || other.id === undefined || entry.id === other.id) continue;
        const [earlier, later] = [entry.id, other.id].sort(byId) as [string, string];
        const rounded = Math.round(similarity * 1000) / 1000;
        edges.push({
          fromSignalId: later,
          toIdentifier: `signal:${earlier}`,
          toSignalId: earlier,
          type: 'same_as',
          confidence: rounded,
          evidence: { method: 'minhash-lsh', similarity: rounded, windowHours: WINDOW_HOURS },
        });
        nearDuplicateSimilarity.observe(similarity);
      }
    }
    const added = await insertEdges(this.#db, edges);
    nearDuplicatesDetected.inc(added);
    const moves = await this.#groupMoves(edges);
    const regrouped = await moveToGroups(this.#db, moves);
    return { edges: added, regrouped, groups: [...new Set(moves.map((move) => move.group))] };
  }

  /**
   * The union of the pairs' signals with the groups they are in: each connected set becomes one
   * group, labelled with the smallest id in it (a group's id is its smallest member's, the earliest
   * stored). Only what changes moves: a signal not yet in its set's group, and an old group whose
   * label changes (a merge). A rerun moves nothing.
   */
  async #groupMoves(edges: readonly NewEdge[]): Promise<GroupMove[]> {
    if (edges.length === 0) return [];
    const parent = new Map<string, string>();
    const find = (id: string): string => {
      let root = id;
      while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string;
      parent.set(id, root);
      return root;
    };
    const union = (a: string, b: string): void => {
      const [x, y] = [find(a), find(b)].sort(byId) as [string, string];
      if (x !== y) parent.set(y, x);
    };
    const ids = new Set(edges.flatMap((edge) => [edge.fromSignalId, edge.toSignalId as string]));
    for (const id of ids) parent.set(id, id);
    const current = await groupsOf(this.#db, [...ids]);
    const oldGroups = new Set(current.values());
    for (const [id, group] of current) {
      parent.set(group, parent.get(group) ?? group);
      union(id, group);
    }
    for (const edge of edges) union(edge.fromSignalId, edge.toSignalId as string);
    const moves: GroupMove[] = [];
    for (const id of parent.keys()) {
      const group = find(id);
      const relabelled = oldGroups.has(id) && id !== group;
      const joins = ids.has(id) && current.get(id) !== group;
      if (relabelled || joins) moves.push({ id, group });
    }
    return moves;
  }
}
