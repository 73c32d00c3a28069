// Standard Webhooks signatures (https://www.standardwebhooks.com, spec "Verifying webhook
// authenticity"): HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` keyed with the
// base64-decoded part of a `whsec_…` secret, sent as `v1,<base64>`. While a secret is being
// rotated the message is signed with both, space-separated, so a receiver holding either verifies.
import { createHmac, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** 32 random bytes: the spec asks for 24 to 64. */
const SECRET_BYTES = 32;

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export interface WebhookMessage {
  /** Unique per message and the same on every retry of it: receivers deduplicate on it. */
  id: string;
  /** When this attempt was signed. */
  timestamp: Date;
  /** The exact bytes sent as the body. */
  body: string;
}

/** A new message id, `msg_` + 128 random bits: the `webhook-id` of one delivery and all its retries. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/** A new endpoint secret, `whsec_` + base64: shown to the owner once. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

function secretKey(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new RangeError('a webhook secret starts with whsec_');
  const key = Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
  if (key.length < 24 || key.length > 64) throw new RangeError('a webhook secret holds 24 to 64 bytes');
  return key;
}

/** The three headers for `message`, signed with every secret given (current first, then any still in overlap). */
export function signWebhook(message: WebhookMessage, secrets: readonly string[]): WebhookHeaders {
  if (secrets.length === 0) throw new RangeError('at least one secret is needed to sign');
  const timestamp = String(Math.floor(message.timestamp.getTime() / 1000));
  const signed = `${message.id}.${timestamp}.${message.body}`;
  const signatures = secrets.map((secret) => `v1,${createHmac('sha256', secretKey(secret)).update(signed, 'utf8').digest('base64')}`);
  return { 'webhook-id': message.id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
