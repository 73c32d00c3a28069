import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../../../lib/cache/ttl-cache.js';
import { manualClock } from '../../../support/manual-clock.js';

describe('TtlCache', () => {
  it('returns a stored value until its TTL has passed', () => {
    // Prepare
    const clock = manualClock(1_000);
    const cache = new TtlCache<string, number>({ ttlMs: 100, now: clock.now });
    cache.set('a', 1);

    // Act
    clock.advance(99);
    const fresh = cache.get('a');
    clock.advance(1);
    const expired = cache.get('a');

    // Assess
    expect(fresh).toBe(1);
    expect(expired).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('returns undefined for a key never stored', () => {
    // Prepare
    const cache = new TtlCache<string, number>({ ttlMs: 100 });

    // Act
    const value = cache.get('missing');

    // Assess
    expect(value).toBeUndefined();
  });

  it('honours a TTL given to set over the default', () => {
    // Prepare
    const clock = manualClock(1_000);
    const cache = new TtlCache<string, string>({ ttlMs: 1_000, now: clock.now });
    cache.set('short', 'x', 10);
    cache.set('long', 'y');

    // Act
    clock.advance(10);

    // Assess
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('long')).toBe('y');
  });

  it('stores nothing when the TTL is zero', () => {
    // Prepare
    const cache = new TtlCache<string, number>({ ttlMs: 0 });

    // Act
    cache.set('a', 1);

    // Assess
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('restarts the TTL when a key is set again', () => {
    // Prepare
    const clock = manualClock(1_000);
    const cache = new TtlCache<string, number>({ ttlMs: 100, now: clock.now });
    cache.set('a', 1);
    clock.advance(60);

    // Act
    cache.set('a', 2);
    clock.advance(60);

    // Assess
    expect(cache.get('a')).toBe(2);
  });

  it('evicts the oldest entry when over maxEntries', () => {
    // Prepare
    const cache = new TtlCache<string, number>({ ttlMs: 1_000, maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);

    // Act
    cache.set('c', 3);

    // Assess
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(3);
  });

  it('keeps a recently read entry and evicts the least recently used one', () => {
    // Prepare
    const cache = new TtlCache<string, number>({ ttlMs: 1_000, maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');

    // Act
    cache.set('c', 3);

    // Assess
    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
  });

  it('deletes one entry and clears all', () => {
    // Prepare
    const cache = new TtlCache<string, number>({ ttlMs: 1_000 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);

    // Act
    const deleted = cache.delete('a');
    const deletedAgain = cache.delete('a');
    const afterDelete = cache.size;
    cache.clear();

    // Assess
    expect(deleted).toBe(true);
    expect(deletedAgain).toBe(false);
    expect(afterDelete).toBe(2);
    expect(cache.size).toBe(0);
    expect(cache.get('b')).toBeUndefined();
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses maxEntries %s', (maxEntries) => {
    // Act
    const create = (): unknown => new TtlCache({ ttlMs: 1, maxEntries });

    // Assess
    expect(create).toThrow(RangeError);
  });
});
