// Which categories an item may get depends on what it is: talk about things (posts, stories) or
// things someone made (preprints, repositories, releases). Classifiers, scoring and notifications
// all ask the same question, so it is answered once here.
import { ARTIFACT_KINDS, type ArtifactKind, type SignalKind } from '../../model/signal.js';
import { ARTIFACT_CATEGORIES, POST_CATEGORIES } from '../types.js';

/** Whether a kind is an artifact (ranked by discovery score) rather than a post (ranked by salience). */
export function isArtifactKind(kind: SignalKind): kind is ArtifactKind {
  return (ARTIFACT_KINDS as readonly SignalKind[]).includes(kind);
}

/** The categories a classifier may give an item of this kind. */
export function categoriesFor(kind: SignalKind): readonly string[] {
  return isArtifactKind(kind) ? ARTIFACT_CATEGORIES : POST_CATEGORIES;
}
