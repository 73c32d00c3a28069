// Keyset paging with a way back: Next appends the current cursor to the trail, Previous pops it,
// the first page has no Previous, the last no Next, and the trail is bounded and checked.
import { describe, expect, it } from 'vitest';
import { hrefWith, pager, readTrail, TRAIL_MAX } from '../../../../../lib/web/components/pager.js';

const links = (markup: string): Record<string, string> =>
  Object.fromEntries([...markup.matchAll(/<a (?:class="(\w+)" rel="\w+" )?href="([^"]+)">([^<]+)</g)].map((m) => [m[1] ?? m[3] ?? '', (m[2] ?? '').replace(/&amp;/g, '&')]));

describe('pager', () => {
  it('offers only Next on the first page, keeping the filters', () => {
    // Act
    const markup = pager({ path: '/signals', filters: [['q', 'rust & go']], cursor: undefined, trail: [], next: 'C2' }).toString();

    // Assess
    expect(links(markup)).toEqual({ next: '/signals?q=rust+%26+go&cursor=C2' });
  });

  it('goes forward with the trail and back to where it came from', () => {
    // Act: on page 3 (came through page 2's cursor C2), next is C4
    const markup = pager({ path: '/signals', filters: [['kind', 'post']], cursor: 'C3', trail: ['C2'], next: 'C4' }).toString();

    // Assess
    expect(links(markup)).toEqual({
      prev: '/signals?kind=post&cursor=C2',
      'First page': '/signals?kind=post',
      next: '/signals?kind=post&cursor=C4&trail=C2&trail=C3',
    });
  });

  it('goes back to the first page from the second, and offers no Next on the last', () => {
    // Act
    const markup = pager({ path: '/discoveries', filters: [], cursor: 'C2', trail: [], next: null }).toString();

    // Assess
    expect(links(markup)).toEqual({ prev: '/discoveries' });
  });

  it('keeps at most TRAIL_MAX cursors in the trail', () => {
    // Prepare
    const trail = Array.from({ length: TRAIL_MAX }, (_, i) => `T${String(i)}`);

    // Act
    const next = links(pager({ path: '/signals', filters: [], cursor: 'NOW', trail, next: 'N' }).toString()).next ?? '';

    // Assess
    const kept = new URL(`https://x${next}`).searchParams.getAll('trail');
    expect(kept).toHaveLength(TRAIL_MAX);
    expect(kept.at(-1)).toBe('NOW');
    expect(kept[0]).toBe('T1');
  });
});

describe('readTrail', () => {
  it('accepts cursor text and refuses anything else or too many', () => {
    // Act + Assess
    expect(readTrail({ trail: ['abc_-1'] })).toEqual({ trail: ['abc_-1'], errors: [] });
    expect(readTrail({ trail: '<x>' }).errors[0]?.field).toBe('trail');
    expect(readTrail({ trail: Array.from({ length: TRAIL_MAX + 1 }, () => 'a') }).errors[0]?.message).toContain(String(TRAIL_MAX));
  });
});

describe('hrefWith', () => {
  it('leaves out empty values and encodes the rest', () => {
    // Act + Assess
    expect(hrefWith('/signals', [['q', ''], ['tag', 'a b'], ['tag', 'c']])).toBe('/signals?tag=a+b&tag=c');
    expect(hrefWith('/signals', [])).toBe('/signals');
  });
});
