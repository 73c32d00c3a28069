// A digest's bodies: the webhook payload is the Standard Webhooks envelope with the signals' API
// JSON spliced in (valid JSON, best first); the Slack body is the Block Kit message.
import { describe, expect, it } from 'vitest';
import { digestBody, webhookDigestBody } from '../../../../../lib/delivery/digests/digest-body.js';

const content = {
  watch: { id: '7', name: 'Odd "name" & <co>' },
  period: 'daily' as const,
  start: new Date('2026-12-03T00:00:00Z'),
  end: new Date('2026-12-04T00:00:00Z'),
  signalJsons: [
    JSON.stringify({ id: '2', source: 'hackernews', kind: 'story', url: 'https://e.com/2', title: 'Best 🚀', category: null, salience: 90, discovery_score: null }),
    JSON.stringify({ id: '1', source: 'arxiv', kind: 'preprint', url: 'https://e.com/1', title: 'שלום', category: 'research', salience: null, discovery_score: 70 }),
  ],
};

describe("a digest's body", () => {
  it('is the watch.digest envelope with the signals best first', () => {
    const parsed = JSON.parse(webhookDigestBody(content)) as { type: string; timestamp: string; data: Record<string, unknown> & { signals: { id: string }[] } };
    expect(parsed.type).toBe('watch.digest');
    expect(parsed.timestamp).toBe('2026-12-04T00:00:00.000Z');
    expect(parsed.data.watch).toEqual({ id: '7', name: 'Odd "name" & <co>' });
    expect(parsed.data.period).toBe('daily');
    expect(parsed.data.period_start).toBe('2026-12-03T00:00:00.000Z');
    expect(parsed.data.period_end).toBe('2026-12-04T00:00:00.000Z');
    expect(parsed.data.signals.map((s) => s.id)).toEqual(['2', '1']);
  });

  it('is a Slack message on the slack channel', () => {
    const parsed = JSON.parse(digestBody('slack', content)) as { blocks: unknown[]; text: string };
    expect(parsed.blocks).toHaveLength(3);
    expect(parsed.text).toContain('Odd "name" &amp; &lt;co&gt;: daily digest to 2026-12-04, 2 new');
  });

  it('splices an empty list as []', () => {
    expect((JSON.parse(webhookDigestBody({ ...content, signalJsons: [] })) as { data: { signals: unknown[] } }).data.signals).toEqual([]);
  });
});
