// The bodies a digest sends, built once when the digest is built and stored with it:
// - webhook: the Standard Webhooks envelope `{type, timestamp, data}` like the per-item
//   `signal.matched`, with type `watch.digest` and the signals' API JSON, best first;
// - Slack: the Block Kit message (../slack/watch-message.ts).
import type { DigestChannel, DigestPeriod } from '../../model/watch-delivery.js';
import { slackDigestMessage } from '../slack/watch-message.js';

export const DIGEST_EVENT_TYPE = 'watch.digest';

export interface DigestContent {
  watch: { id: string; name: string };
  period: DigestPeriod;
  /** Exclusive. */
  start: Date;
  /** Inclusive. */
  end: Date;
  /** Each signal's API JSON text (Postgres-built), best first. */
  signalJsons: readonly string[];
}

/** The webhook payload: spliced from the signals' JSON text rather than parsed and written again. */
export function webhookDigestBody(content: DigestContent): string {
  const head = {
    watch: { id: content.watch.id, name: content.watch.name },
    period: content.period,
    period_start: content.start.toISOString(),
    period_end: content.end.toISOString(),
  };
  const data = `${JSON.stringify(head).slice(0, -1)},"signals":[${content.signalJsons.join(',')}]}`;
  return `{"type":${JSON.stringify(DIGEST_EVENT_TYPE)},"timestamp":${JSON.stringify(content.end.toISOString())},"data":${data}}`;
}

export function digestBody(channel: DigestChannel, content: DigestContent): string {
  if (channel === 'webhook') return webhookDigestBody(content);
  return JSON.stringify(slackDigestMessage(content.watch.name, content.period, content.end, content.signalJsons));
}
