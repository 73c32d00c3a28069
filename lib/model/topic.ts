// What a topic is: the allowed values of its text columns (the same lists as the CHECK constraints
// of infra/migrations), a topic, and the events the daily evolution job records about topics.

export const TOPIC_KINDS = ['taxonomy', 'emergent'] as const;
export const TOPIC_STATUSES = ['active', 'merged', 'retired'] as const;
export const TOPIC_EVENT_KINDS = ['emerge', 'growth', 'decline', 'merge', 'split'] as const;

export type TopicKind = (typeof TOPIC_KINDS)[number];
export type TopicStatus = (typeof TOPIC_STATUSES)[number];
export type TopicEventKind = (typeof TOPIC_EVENT_KINDS)[number];

export interface Topic {
  /** int8 as a decimal string. */
  id: string;
  /** `ai/llm/agents`, `emergent/mamba-ssm`; unique. */
  path: string;
  name: string;
  kind: TopicKind;
  keywords: string[];
  status: TopicStatus;
  /** Set when status is `merged`: the topic that absorbed this one. */
  mergedInto: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewTopicEvent {
  topicId: string;
  kind: TopicEventKind;
  /** `YYYY-MM-DD` (UTC): one event of a kind per topic and day. */
  occurredOn: string;
  details: Record<string, unknown>;
}

export interface TopicEvent extends NewTopicEvent {
  id: string;
  createdAt: Date;
}
