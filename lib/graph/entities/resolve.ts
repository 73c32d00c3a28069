// Entity resolution for one batch of stored signals: each mention either names an alias already
// known (an account seen before), or becomes a new alias of a new entity, which the weighted match
// (score.ts) then merges into the best existing entity (≥ threshold, recorded and undoable),
// queues for review with it (≥ floor), or leaves alone. A fixed number of statements per batch;
// mentions already recorded for a signal are skipped, so a rerun adds nothing.
import {
  accountAliases,
  candidateEntities,
  entityProfiles,
  reserveIds,
  writeResolution,
  type NewAliasRow,
  type NewEntityRow,
  type NewMentionRow,
  type NewMergeRow,
} from '../../db/entity-resolution-repo.js';
import type { Queryable } from '../../db/types.js';
import type { EntityMention, ResolutionOutcome } from '../../model/entity.js';
import { observeResolution } from '../../metrics/entity-metrics.js';
import { extractMentions, mentionKey, type MentionSource } from './extract.js';
import { blockKeys } from './names.js';
import { absorb, mentionProfile, storedProfile, type Profile } from './profile.js';
import { decide, matchScore, type MatchEvidence } from './score.js';

/** A stored signal, what it says about its entities, and the mentions already recorded for it (`role\0mentionKey`). */
export type ResolvableSignal = MentionSource & { id: string; recorded: ReadonlySet<string> };

export type ResolutionCounts = Record<ResolutionOutcome, number>;

interface Mention {
  signalId: string;
  mention: EntityMention;
  key: string;
  context: string[];
}

/** A new alias to resolve: the first mention of an account (or every mention of a bare name). */
interface NewAlias {
  first: Mention;
  /** Every mention in the batch that names this alias. */
  mentions: Mention[];
  keys: string[];
}

function accountKeyOf(mention: EntityMention): { source: EntityMention['source']; handleKey: string } | null {
  return mention.unique ? { source: mention.source, handleKey: mention.handle.toLowerCase() } : null;
}

/** Every mention of the batch not recorded yet, each with what else its signal names. */
function pendingMentions(signals: readonly ResolvableSignal[]): Mention[] {
  const result: Mention[] = [];
  for (const signal of signals) {
    const mentions = extractMentions(signal);
    const keys = mentions.map(mentionKey);
    // Affiliations are a feature of their own (score.ts), not context: a person's own would count twice.
    const context = keys.filter((_, index) => mentions[index]?.role !== 'affiliation');
    mentions.forEach((mention, index) => {
      const key = keys[index] ?? mentionKey(mention);
      if (signal.recorded.has(`${mention.role}\u0000${key}`)) return;
      result.push({ signalId: signal.id, mention, key, context: context.filter((other) => other !== key) });
    });
  }
  return result;
}

/** True when id `a` is smaller than id `b` (decimal strings of bigints): ties go to the older entity. */
function olderId(a: string, b: string): boolean {
  return a.length === b.length ? a < b : a.length < b.length;
}

interface Best {
  entityId: string;
  evidence: MatchEvidence;
}

/** Resolves and records the entities the signals name. */
export async function resolveEntities(db: Queryable, signals: readonly ResolvableSignal[]): Promise<ResolutionCounts> {
  const started = performance.now();
  const counts: ResolutionCounts = { known: 0, merged: 0, queued: 0, new: 0 };
  const scores: number[] = [];
  const mentions = pendingMentions(signals);
  if (mentions.length === 0) return counts;

  // Accounts seen before are known: their mentions join their alias.
  const accountKeys = new Map<string, { source: EntityMention['source']; handleKey: string }>();
  for (const { mention } of mentions) {
    const account = accountKeyOf(mention);
    if (account !== null) accountKeys.set(`${account.source}:${account.handleKey}`, account);
  }
  const known = await accountAliases(db, [...accountKeys.values()]);
  const rows: { entities: NewEntityRow[]; aliases: NewAliasRow[]; merges: NewMergeRow[]; mentions: NewMentionRow[] } = { entities: [], aliases: [], merges: [], mentions: [] };
  const fresh = new Map<string, NewAlias>();
  for (const mention of mentions) {
    const account = accountKeyOf(mention.mention);
    const stored = account === null ? undefined : known.get(`${account.source}:${account.handleKey}`);
    if (stored !== undefined) {
      counts.known += 1;
      rows.mentions.push({ signalId: mention.signalId, role: mention.mention.role, mentionKey: mention.key, aliasId: stored.aliasId, confidence: 1, account });
      continue;
    }
    // A bare name is an alias per signal (two papers' "Wei Zhang" may be two people).
    const aliasKey = account === null ? `${mention.signalId}\u0000${mention.key}` : mention.key;
    const existing = fresh.get(aliasKey);
    if (existing === undefined) {
      fresh.set(aliasKey, { first: mention, mentions: [mention], keys: blockKeys(mention.mention.handle, mention.mention.name) });
    } else {
      existing.mentions.push(mention);
    }
  }

  const aliases = [...fresh.values()];
  const candidates = await candidateEntities(db, aliases.map((alias) => ({ kind: alias.first.mention.kind, keys: alias.keys })));
  const candidateIds = [...new Set([...candidates.values()].flat())];
  const stored = await entityProfiles(db, candidateIds);
  const profiles = new Map<string, Profile>();
  const byEntity = new Map<string, typeof stored.aliases>();
  for (const alias of stored.aliases) byEntity.set(alias.entityId, [...(byEntity.get(alias.entityId) ?? []), alias]);
  for (const [entityId, entityAliases] of byEntity) {
    const profile = storedProfile(entityAliases, stored.context.get(entityId) ?? []);
    if (profile !== undefined) profiles.set(entityId, profile);
  }
  // Entities made (or grown) in this batch, by name key, so a later mention in the batch finds them.
  const batchIndex = new Map<string, Set<string>>();
  const index = (entityId: string, keys: readonly string[]): void => {
    for (const key of keys) batchIndex.set(key, (batchIndex.get(key) ?? new Set()).add(entityId));
  };

  const ids = await reserveIds(db, aliases.length);
  aliases.forEach((alias, position) => {
    const reserved = ids[position];
    if (reserved === undefined) throw new Error('entity ids reserved fewer than asked');
    const { mention } = alias.first;
    const profile = mentionProfile(mention, [...new Set(alias.mentions.flatMap((m) => m.context))]);
    let best: Best | undefined;
    const compared = new Set([...(candidates.get(position) ?? []), ...alias.keys.flatMap((key) => [...(batchIndex.get(key) ?? [])])]);
    for (const entityId of compared) {
      const candidate = profiles.get(entityId);
      if (candidate === undefined) continue;
      const evidence = matchScore(profile, candidate);
      if (best === undefined || evidence.score > best.evidence.score || (evidence.score === best.evidence.score && olderId(entityId, best.entityId))) best = { entityId, evidence };
    }
    if (best !== undefined && best.evidence.score > 0) scores.push(best.evidence.score);
    const decision = best === undefined ? 'separate' : decide(best.evidence.score);
    const owner = decision === 'merge' && best !== undefined ? best.entityId : reserved.entityId;
    rows.entities.push({ id: reserved.entityId, kind: mention.kind, name: mention.name ?? mention.handle, mergedInto: owner === reserved.entityId ? null : owner });
    rows.aliases.push({
      id: reserved.aliasId,
      entityId: owner,
      originEntityId: reserved.entityId,
      source: mention.source,
      handle: mention.handle,
      handleKey: accountKeyOf(mention)?.handleKey ?? null,
      name: mention.name ?? null,
      url: mention.url ?? null,
      affiliation: mention.affiliation ?? null,
      linked: profile.linked,
      blockKeys: alias.keys,
    });
    if (best !== undefined && decision !== 'separate') {
      rows.merges.push({
        entityId: reserved.entityId,
        intoEntityId: best.entityId,
        score: best.evidence.score,
        evidence: { ...best.evidence, alias: `${mention.source}:${mention.handle}` },
        status: decision === 'merge' ? 'accepted' : 'pending',
        decidedBy: decision === 'merge' ? 'auto' : null,
        movedAliasIds: decision === 'merge' ? [reserved.aliasId] : [],
      });
    }
    if (decision === 'merge' && best !== undefined) {
      const into = profiles.get(best.entityId);
      if (into !== undefined) absorb(into, profile);
      index(best.entityId, alias.keys);
      counts.merged += 1;
    } else {
      profiles.set(reserved.entityId, profile);
      index(reserved.entityId, alias.keys);
      counts[decision === 'queue' ? 'queued' : 'new'] += 1;
    }
    const confidence = decision === 'merge' && best !== undefined ? best.evidence.score : 1;
    for (const m of alias.mentions) {
      rows.mentions.push({ signalId: m.signalId, role: m.mention.role, mentionKey: m.key, aliasId: reserved.aliasId, confidence, account: accountKeyOf(m.mention) });
    }
  });
  await writeResolution(db, rows);
  observeResolution(counts, scores, (performance.now() - started) / 1000);
  return counts;
}
