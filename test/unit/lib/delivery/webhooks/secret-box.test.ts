// Webhook secrets at rest: sealed with AES-256-GCM, opened only with the same key and for the same
// watch, never readable in the stored form; the key is required outside the local stage.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../../lib/errors.js';
import { openSecret, SealedSecretError, sealSecret, secretPrefix, webhookKey } from '../../../../../lib/delivery/webhooks/secret-box.js';
import { generateWebhookSecret } from '../../../../../lib/delivery/webhooks/sign.js';

const KEY = Buffer.alloc(32, 1);

describe('the webhook secret box', () => {
  it('opens what it sealed, and each seal differs (a fresh IV)', () => {
    const secret = generateWebhookSecret();

    const a = sealSecret(KEY, '42', secret);
    const b = sealSecret(KEY, '42', secret);

    expect(openSecret(KEY, '42', a)).toBe(secret);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(a).not.toContain(secret.slice(6, 16));
  });

  it("refuses another key, another watch's row, and an altered ciphertext", () => {
    const sealed = sealSecret(KEY, '42', generateWebhookSecret());
    const parts = sealed.split(':');
    const flipped = [parts[0], parts[1], parts[2], `${parts[3]?.startsWith('A') === true ? 'B' : 'A'}${parts[3]?.slice(1) ?? ''}`].join(':');

    expect(() => openSecret(Buffer.alloc(32, 2), '42', sealed)).toThrow(SealedSecretError);
    expect(() => openSecret(KEY, '43', sealed)).toThrow(SealedSecretError);
    expect(() => openSecret(KEY, '42', flipped)).toThrow(SealedSecretError);
    expect(() => openSecret(KEY, '42', 'plain')).toThrow(SealedSecretError);
  });

  it('takes the configured key, an embedded one on the local stage only', () => {
    const configured = Buffer.alloc(32, 9).toString('base64');

    expect(webhookKey({ STAGE: 'prod', WEBHOOK_SECRET_KEY: configured })).toEqual(Buffer.alloc(32, 9));
    expect(webhookKey({ STAGE: 'local', WEBHOOK_SECRET_KEY: undefined })).toHaveLength(32);
    expect(() => webhookKey({ STAGE: 'prod', WEBHOOK_SECRET_KEY: undefined })).toThrow(ConfigError);
  });

  it('shows a prefix that names the secret without giving it away', () => {
    const secret = generateWebhookSecret();
    expect(secretPrefix(secret)).toBe(secret.slice(0, 12));
    expect(secretPrefix(secret).startsWith('whsec_')).toBe(true);
  });
});
