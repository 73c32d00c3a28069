// Our Standard Webhooks signatures, verified by the `standardwebhooks` library itself: with the
// current secret, with the previous one during a rotation overlap, and refused when the body, the
// id or the timestamp is changed or the secret is another.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, newMessageId, signWebhook } from '../../../../../lib/delivery/webhooks/sign.js';

const BODY = JSON.stringify({ type: 'signal.matched', data: { title: 'Tom & Jerry <b> 🚀 שלום' } });

describe('a webhook signature', () => {
  it('verifies with the standardwebhooks library', () => {
    // Prepare
    const secret = generateWebhookSecret();
    const id = newMessageId();

    // Act
    const headers = signWebhook({ id, timestamp: new Date(), body: BODY }, [secret]);

    // Assess
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
    expect(headers['webhook-id']).toBe(id);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  it('carries one signature per secret while a rotation overlaps, so either verifies', () => {
    const current = generateWebhookSecret();
    const previous = generateWebhookSecret();

    const headers = signWebhook({ id: newMessageId(), timestamp: new Date(), body: BODY }, [current, previous]);

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(BODY, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(BODY, { ...headers })).not.toThrow();
  });

  it('fails verification when anything signed changes or the secret is another', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id: newMessageId(), timestamp: new Date(), body: BODY }, [secret]);
    const webhook = new Webhook(secret);

    expect(() => webhook.verify(`${BODY} `, { ...headers })).toThrow();
    expect(() => webhook.verify(BODY, { ...headers, 'webhook-id': newMessageId() })).toThrow();
    expect(() => webhook.verify(BODY, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(BODY, { ...headers })).toThrow();
  });

  it('is refused by the library when the timestamp is too old (replay)', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id: newMessageId(), timestamp: new Date(Date.now() - 10 * 60_000), body: BODY }, [secret]);
    expect(() => new Webhook(secret).verify(BODY, { ...headers })).toThrow();
  });

  it('refuses to sign without a secret or with one that is not whsec_', () => {
    expect(() => signWebhook({ id: 'msg_x', timestamp: new Date(), body: '' }, [])).toThrow(RangeError);
    expect(() => signWebhook({ id: 'msg_x', timestamp: new Date(), body: '' }, ['secret'])).toThrow(RangeError);
  });
});
