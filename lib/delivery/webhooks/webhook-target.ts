// A watch's webhook endpoint as a send target: its secrets opened once per sweep, each request
// signed at send time (Standard Webhooks: a fresh webhook-timestamp per attempt, the same
// webhook-id on every retry), with the current secret and, during a rotation's overlap, the previous.
import type { SendingEndpoint } from '../../model/webhook-endpoint.js';
import { openSecret } from './secret-box.js';
import type { SendTarget } from './send.js';
import { signWebhook } from './sign.js';

export function webhookTarget(endpoint: SendingEndpoint, key: Buffer): SendTarget {
  const secrets = endpoint.sealedSecrets.map((sealed) => openSecret(key, endpoint.watchId, sealed));
  return {
    key: `webhook:${endpoint.watchId}`,
    url: endpoint.url,
    headers: ({ body, messageId, now }) => ({ ...signWebhook({ id: messageId, timestamp: now, body }, secrets) }),
  };
}

/** The body of a per-item delivery: the Standard Webhooks `{type, timestamp, data}` envelope. */
export function signalMatchedBody(watch: { id: string; name: string }, signalJson: string, enqueuedAt: Date): string {
  // signalJson is Postgres's JSON text of the signal (the API's shape): spliced in, not re-parsed.
  return `{"type":"signal.matched","timestamp":${JSON.stringify(enqueuedAt.toISOString())},"data":{"watch":${JSON.stringify({ id: watch.id, name: watch.name })},"signal":${signalJson}}}`;
}
