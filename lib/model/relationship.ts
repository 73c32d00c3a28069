// What a relationship is: a typed, directed edge between two signals (or from a signal to an
// identifier not harvested yet), with a confidence and the evidence for it. The migration
// infra/migrations/0009_signal_graph.sql CHECKs the same values.

export const RELATIONSHIP_TYPES = ['cites', 'implements', 'discusses', 'same_as', 'mentions'] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** Kinds of identifier an edge can point at: `<kind>:<value>`. */
export const IDENTIFIER_KINDS = ['arxiv', 'doi', 'github', 'url', 'signal'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];
/** `arxiv:2401.01234`, `doi:10.1000/xyz`, `github:owner/repo`, `url:https://…`, `signal:123`. */
export type Identifier = `${IdentifierKind}:${string}`;

/** Why an edge exists: the identifier that links the two, or the similarity that matched them. */
export type EdgeEvidence = Readonly<Record<string, string | number | boolean | null>>;

export interface NewEdge {
  fromSignalId: string;
  /** What the edge points at; `signal:<id>` when the target is known by id alone. */
  toIdentifier: Identifier;
  /** The target when it is stored; undefined leaves the edge pending (attached later). */
  toSignalId?: string;
  type: RelationshipType;
  /** 0–1. */
  confidence: number;
  evidence: EdgeEvidence;
}

export interface Edge extends Required<Omit<NewEdge, 'toSignalId'>> {
  id: string;
  /** null while pending. */
  toSignalId: string | null;
  createdAt: Date;
}
