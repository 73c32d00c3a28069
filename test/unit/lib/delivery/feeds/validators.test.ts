// Feed validators: the ETag changes with the format, the watch's version and each item's last
// change, and a conditional GET is answered 304 per RFC 9110 (If-None-Match first).
import { describe, expect, it } from 'vitest';
import { feedValidators, notModified } from '../../../../../lib/delivery/feeds/validators.js';
import type { Signal } from '../../../../../lib/model/signal.js';
import type { Watch } from '../../../../../lib/model/watch.js';

const WATCH: Watch = { id: '1', ownerKeyId: 'k', name: 'w', filter: { q: 'x' }, feedTokenPrefix: 'shf_', createdAt: new Date(0), updatedAt: new Date('2026-01-01T00:00:00.500Z') };
const item = (id: string, updatedAt: string): Signal => ({ id, updatedAt: new Date(updatedAt) }) as Signal;
const ITEMS = [item('2', '2026-01-02T00:00:00.250Z'), item('1', '2026-01-01T12:00:00Z')];

describe('feed validators', () => {
  it('give a Last-Modified of the newest change, in whole seconds', () => {
    expect(feedValidators('atom', WATCH, ITEMS).lastModified.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(feedValidators('atom', WATCH, []).lastModified.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('change the ETag with the format, the watch and any item', () => {
    const base = feedValidators('atom', WATCH, ITEMS).etag;
    expect(feedValidators('atom', WATCH, ITEMS).etag).toBe(base);
    expect(feedValidators('rss', WATCH, ITEMS).etag).not.toBe(base);
    expect(feedValidators('atom', { ...WATCH, updatedAt: new Date() }, ITEMS).etag).not.toBe(base);
    expect(feedValidators('atom', WATCH, [item('2', '2026-01-03T00:00:00Z'), ITEMS[1] as Signal]).etag).not.toBe(base);
    expect(feedValidators('atom', WATCH, ITEMS.slice(1)).etag).not.toBe(base);
  });

  it('answer 304 on a matching tag (weak or in a list, or *) and otherwise by date', () => {
    const validators = feedValidators('atom', WATCH, ITEMS);
    expect(notModified(validators, validators.etag, undefined)).toBe(true);
    expect(notModified(validators, `"a", W/${validators.etag}`, undefined)).toBe(true);
    expect(notModified(validators, '*', undefined)).toBe(true);
    expect(notModified(validators, '"other"', validators.lastModified.toUTCString())).toBe(false);
    expect(notModified(validators, undefined, validators.lastModified.toUTCString())).toBe(true);
    expect(notModified(validators, undefined, new Date(validators.lastModified.getTime() - 1000).toUTCString())).toBe(false);
    expect(notModified(validators, undefined, 'not a date')).toBe(false);
    expect(notModified(validators, undefined, undefined)).toBe(false);
  });
});
