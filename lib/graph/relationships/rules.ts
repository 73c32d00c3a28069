// Which edge an identifier makes, decided from what the signal is (its kind) and how it carries
// the identifier (its role, lib/graph/identifiers/index.ts), with a confidence by rule:
//
//   from \ to           arXiv id / DOI                 GitHub repository             other page (url:)
//   preprint            cites                          mentions                      mentions
//   repository/release  implements                     mentions (a release: its repo) mentions
//   post/story          discusses                      discusses                     mentions
//
// A bare arXiv number is weak evidence in anyone's text: always `mentions`, low confidence. A
// signal is never related to what it is itself (role `self`).
import type { Identifier, RelationshipType } from '../../model/relationship.js';
import type { SignalKind } from '../../model/signal.js';
import type { FoundIdentifier, IdentifierRole } from '../identifiers/index.js';

export interface Rule {
  type: RelationshipType;
  confidence: number;
}

/** Confidence by role: a signal's own link is the strongest claim, a bare number the weakest. */
const STRENGTH: Record<Exclude<IdentifierRole, 'self'>, number> = { subject: 0.95, link: 0.85, named: 0.8, bare: 0.4 };

type Target = 'paper' | 'repository' | 'page';

function targetOf(identifier: Identifier): Target {
  if (identifier.startsWith('arxiv:') || identifier.startsWith('doi:')) return 'paper';
  if (identifier.startsWith('github:')) return 'repository';
  return 'page';
}

function typeFor(kind: SignalKind, target: Target): RelationshipType {
  if (target === 'page') return 'mentions';
  switch (kind) {
    case 'preprint':
      return target === 'paper' ? 'cites' : 'mentions';
    case 'repository':
    case 'release':
      return target === 'paper' ? 'implements' : 'mentions';
    case 'post':
    case 'story':
      return 'discusses';
  }
}

/** The edge `found` makes from a signal of `kind`; undefined when it makes none (the signal is it). */
export function ruleFor(kind: SignalKind, found: FoundIdentifier): Rule | undefined {
  if (found.role === 'self') return undefined;
  const target = targetOf(found.identifier);
  const strength = STRENGTH[found.role];
  if (found.role === 'bare') return { type: 'mentions', confidence: strength };
  // A link to some page is weaker than naming an artifact: the page may be anything.
  return { type: typeFor(kind, target), confidence: target === 'page' ? Math.min(strength, 0.5) : strength };
}

/** A planned edge from a signal, before its target is resolved. */
export interface PlannedEdge extends Rule {
  identifier: Identifier;
  role: IdentifierRole;
}

/** The edges a signal of `kind` makes from its identifiers. */
export function plannedEdges(kind: SignalKind, identifiers: readonly FoundIdentifier[]): PlannedEdge[] {
  return identifiers.flatMap((found) => {
    const rule = ruleFor(kind, found);
    return rule === undefined ? [] : [{ ...rule, identifier: found.identifier, role: found.role }];
  });
}
