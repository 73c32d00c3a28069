// What an entity is: a person, an organisation or a repository seen across sources, known by its
// aliases (one per source account or name), the signals that mention it, and the merge-review
// queue that joins two entities. infra/migrations/0014_entities.sql CHECKs the same values.
import type { SourceName } from './sources.js';

export const ENTITY_KINDS = ['person', 'organization', 'repository'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** How an entity is named by a signal: wrote it, owns it (a repository), is its subject or its author's affiliation. */
export const ENTITY_ROLES = ['author', 'owner', 'affiliation', 'repository'] as const;
export type EntityRole = (typeof ENTITY_ROLES)[number];

/** pending: awaits an admin; accepted: merged (automatically or by an admin); rejected; undone: merged, then undone. */
export const MERGE_STATUSES = ['pending', 'accepted', 'rejected', 'undone'] as const;
export type MergeStatus = (typeof MERGE_STATUSES)[number];

export const MERGE_DECIDERS = ['auto', 'admin'] as const;
export type MergeDecider = (typeof MERGE_DECIDERS)[number];

/** What resolution did with one new alias: known already, merged automatically, queued for review, or a new entity. */
export const RESOLUTION_OUTCOMES = ['known', 'merged', 'queued', 'new'] as const;
export type ResolutionOutcome = (typeof RESOLUTION_OUTCOMES)[number];

/**
 * One entity as a source names it in one item. Source adapters that know more than the display
 * `author` (every arXiv author with an affiliation, a GitHub owner's type, an X display name) put
 * it on the item; otherwise lib/graph/entities/extract.ts derives mentions from `author` and `url`.
 */
export interface EntityMention {
  kind: EntityKind;
  role: EntityRole;
  source: SourceName;
  /**
   * The account's handle (GitHub login or `owner/repo`, HN/Reddit/X username) — an identity within
   * its source — or, for a name that is no identity (an arXiv author), the name itself.
   */
  handle: string;
  /** True when `handle` identifies one account at its source (a login); false for a bare name. */
  unique: boolean;
  /** Display name when the source gives one besides the handle (X `name`). */
  name?: string;
  url?: string;
  affiliation?: string;
  /** Other accounts the profile itself links, as `source:handle` (e.g. a GitHub profile's X handle). */
  linked?: readonly string[];
}

export interface EntityAlias {
  id: string;
  source: SourceName;
  handle: string;
  name: string | null;
  url: string | null;
  affiliation: string | null;
  /** The entity this alias was first resolved to (where an undone merge returns it). */
  originEntityId: string;
}

export interface Entity {
  /** int8 as a decimal string. */
  id: string;
  kind: EntityKind;
  name: string;
  /** Set while merged: the entity this one was merged into (follow it to the current one). */
  mergedInto: string | null;
  createdAt: Date;
}

export interface MergeCandidate {
  id: string;
  /** The entity to merge away (the newer one). */
  entityId: string;
  /** The entity it would be merged into. */
  intoEntityId: string;
  /** 0–1, the weighted match (lib/graph/entities/score.ts). */
  score: number;
  evidence: Readonly<Record<string, unknown>>;
  status: MergeStatus;
  decidedBy: MergeDecider | null;
  createdAt: Date;
  decidedAt: Date | null;
}
