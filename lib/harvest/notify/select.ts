// Which signals deserve a notification: new (never notified), active, and at or above their kind's
// threshold — salience for posts and stories, discovery score for artifacts — best first. The same
// rule as lib/db/notify-repo.ts's query, for signals the pipeline already holds in memory.
import type { NotifyThresholds } from '../../db/notify-repo.js';
import type { Signal } from '../../model/signal.js';
import { isArtifactKind } from '../classify/categories.js';

export type { NotifyThresholds } from '../../db/notify-repo.js';

/** What selection reads of a signal. */
export type NotificationCandidate = Pick<Signal, 'id' | 'kind' | 'salience' | 'discoveryScore' | 'status' | 'notifiedAt'>;

/** The score a signal is judged and ranked by: discovery score for artifacts, salience for posts. */
export function notificationScore(signal: Pick<Signal, 'kind' | 'salience' | 'discoveryScore'>): number | null {
  return isArtifactKind(signal.kind) ? signal.discoveryScore : signal.salience;
}

function clears(signal: NotificationCandidate, thresholds: NotifyThresholds): boolean {
  if (signal.notifiedAt !== null || signal.status !== 'active') return false;
  const score = notificationScore(signal);
  if (score === null) return false;
  return score >= (isArtifactKind(signal.kind) ? thresholds.minDiscoveryScore : thresholds.minSalience);
}

/**
 * The candidates that clear their threshold, highest score first (ties: smaller id first, as the
 * query does), at most `limit` (default: all). Pure; the input is not changed.
 */
export function selectForNotification<T extends NotificationCandidate>(signals: readonly T[], thresholds: NotifyThresholds, limit = Number.POSITIVE_INFINITY): T[] {
  const chosen = signals.filter((signal) => clears(signal, thresholds));
  chosen.sort((a, b) => (notificationScore(b) ?? 0) - (notificationScore(a) ?? 0) || compareIds(a.id, b.id));
  return chosen.slice(0, Math.max(0, limit));
}

/** Signal ids are decimal int8 strings: shorter is smaller, then digit by digit. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
