// The SQL pieces and checks the topics repository is assembled from: column lists, time helpers,
// and the checks that keep a malformed id, window or cursor out of SQL.
import type { TopicWindow } from './topics-types.js';
import { isSignalId } from './ids.js';
import { sql, type Sql } from './sql.js';

export const TOPIC_COLUMNS = sql`
  id::text AS id, path, name, kind, keywords, status, merged_into::text AS "mergedInto",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export const EVENT_COLUMNS = sql`
  id::text AS id, topic_id::text AS "topicId", kind, occurred_on::text AS "occurredOn", details, created_at AS "createdAt"`;

/** A timestamp as ISO 8601 in UTC with milliseconds, the way the API writes every time. */
export function isoUtc(column: Sql): Sql {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export function midpoint(window: TopicWindow): Date {
  return new Date((window.since.getTime() + window.until.getTime()) / 2);
}

export function checkWindow(window: TopicWindow): void {
  if (!(window.since.getTime() < window.until.getTime())) throw new RangeError('a topic window must end after it starts');
}

/** Topic ids are positive bigints like signal ids: the same check keeps a malformed one out of SQL. */
export const isTopicId = isSignalId;

/** The `{…}` text of a real[] as a Float32Array (read as text: both drivers give the same string). */
export function parseVector(text: string | null): Float32Array | null {
  if (text === null) return null;
  const inner = text.replace(/^\{|\}$/g, '');
  return inner === '' ? null : Float32Array.from(inner.split(','), Number);
}

const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

export function isDay(value: string): boolean {
  return DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}
