// A signal with every report of its story: `GET /v1/signals/{id}` answers the signal and its
// near-duplicate group's members (lib/graph/duplicates), so a researcher reads one item and sees
// where else it was posted. The list endpoints carry only `duplicate_group` and `mention_count`.
import * as z from 'zod/mini';
import { groupMembers, type Mention } from '../db/near-duplicates-repo.js';
import type { Queryable } from '../db/types.js';
import type { Signal } from '../model/signal.js';
import { SIGNAL_SHAPE, toSignalJson, type SignalJson } from './signal-json.js';

/** Members listed at most (earliest first); `mention_count` still counts every source. */
export const MAX_MENTIONS = 50;

export interface MentionJson {
  id: string;
  source: string;
  url: string;
  title: string;
  published_at: string;
}

export type SignalDetailJson = SignalJson & { mentions: MentionJson[] };

export const mentionSchema = z.strictObject({
  id: z.string(),
  source: z.string(),
  url: z.string(),
  title: z.string(),
  published_at: z.string(),
});

/** A signal's fields, then `mentions`: its group's members, itself included (itself alone when it has no group). */
export const signalDetailSchema = z.strictObject({ ...SIGNAL_SHAPE, mentions: z.array(mentionSchema) }) as unknown as z.ZodMiniType<SignalDetailJson>;

function mentionJson(mention: Mention): MentionJson {
  return { id: mention.id, source: mention.source, url: mention.url, title: mention.title, published_at: mention.publishedAt.toISOString() };
}

/** The signal's JSON with its mentions (one more query, only for a signal in a group). */
export async function signalDetailJson(db: Queryable, signal: Signal): Promise<SignalDetailJson> {
  const members = signal.duplicateGroup === null ? [signal] : await groupMembers(db, signal.duplicateGroup, MAX_MENTIONS);
  return { ...toSignalJson(signal), mentions: members.map(mentionJson) };
}
