// The EventBridge "Scheduled Event" a rule hands its target, as the local runtime, `npm run
// invoke` and tests build it.
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';

export interface ScheduledEventSource {
  region: string;
  /** Deployed function name; the rule's ARN is derived from it. */
  functionName: string;
}

export function buildScheduledEvent(source: ScheduledEventSource, now: Date = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    // EventBridge writes whole seconds.
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: source.region,
    resources: [`arn:aws:events:${source.region}:000000000000:rule/${source.functionName}`],
    detail: {},
  };
}
