// The shapes the topics repository reads, writes and reports with. What a topic is lives in
// lib/model/topic.ts.
import type { Topic, TopicKind } from '../model/topic.js';

/** A topic with the centroid it emerged with (emergent topics; null for taxonomy ones). */
export interface TopicWithCentroid extends Topic {
  centroid: Float32Array | null;
}

export interface NewTopic {
  path: string;
  name: string;
  keywords: readonly string[];
}

export interface NewEmergentTopic extends NewTopic {
  centroid: Float32Array;
}

/** A signal the evolution job looks at: what it is matched on, and its active topics now. */
export interface WindowSignal {
  id: string;
  title: string;
  /** The first TEXT_CHARS characters of the body. */
  text: string;
  tags: string[];
  publishedAt: Date;
  /** Active topics it belongs to, ascending. */
  topicIds: string[];
}

export interface SignalTopicRow {
  signalId: string;
  topicId: string;
  /** In (0, 1]. */
  weight: number;
}

/** A window [since, until) and its midpoint: the earlier half is [since, mid), the recent one [mid, until). */
export interface TopicWindow {
  since: Date;
  until: Date;
}

export interface TopSignal {
  id: string;
  title: string;
  url: string;
  score: number;
  /** ISO 8601, UTC. */
  publishedAt: string;
}

export interface TrendingTopic {
  id: string;
  path: string;
  name: string;
  kind: TopicKind;
  /** Members published in the earlier and the recent half of the window. */
  earlier: number;
  recent: number;
  /** (recent − earlier) / max(earlier, 1). */
  growthRate: number;
  /** Its best-scored members in the window, best first. */
  topSignals: TopSignal[];
}

export interface TopicStats {
  /** Members ever (archived signals left out). */
  total: number;
  /** Members published in the window, and in its two halves. */
  inWindow: number;
  earlier: number;
  recent: number;
  growthRate: number;
  /** Publication times of its first and latest member; null without members. */
  firstSeen: Date | null;
  lastSeen: Date | null;
  /** Members per UTC day over the window, every day present (zeros too), oldest first. */
  timeline: Array<{ day: string; count: number }>;
}

/** Where the previous page of events stopped. */
export interface TopicEventCursor {
  /** `YYYY-MM-DD`. */
  occurredOn: string;
  id: string;
}
