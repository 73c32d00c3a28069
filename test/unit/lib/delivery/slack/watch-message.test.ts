// A watch's Slack messages: Block Kit with a header and a section per signal; titles from the open
// web cannot ping, link or inject (&, <, > escaped wherever Slack reads mrkdwn).
import { describe, expect, it } from 'vitest';
import { slackDigestMessage, slackItemMessage } from '../../../../../lib/delivery/slack/watch-message.js';

function signalJson(id: number, title: string, url = `https://example.com/${String(id)}`): string {
  return JSON.stringify({ id: String(id), source: 'hackernews', kind: 'story', url, title, category: 'R&D <lab>', salience: 80.5, discovery_score: null, tags: [] });
}

describe("a watch's Slack message", () => {
  it('escapes what Slack would read as a mention, a link or an entity', () => {
    const message = slackItemMessage('Rust & <friends>', signalJson(1, '<!channel> Tom & Jerry <https://evil.example|click>'));
    const json = JSON.stringify(message);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<https://evil.example|click>');
    expect(message.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*<https://example.com/1|&lt;!channel&gt; Tom &amp; Jerry &lt;https://evil.example|click&gt;>*\nhackernews · R&amp;D &lt;lab&gt; · salience 80.5' },
    });
    expect(message.text.startsWith('Rust &amp; &lt;friends&gt;: new signal\n')).toBe(true);
    // The header is plain_text: shown as written, parsed for nothing.
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Rust & <friends>: new signal' } });
  });

  it('shows a digest as a header and one section per signal, in the order given, at most 49', () => {
    const signals = Array.from({ length: 60 }, (_, i) => signalJson(i + 1, `Item ${String(i + 1)}`));
    const message = slackDigestMessage('My watch', 'daily', new Date('2026-12-04T00:00:00Z'), signals);
    expect(message.blocks).toHaveLength(50);
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'My watch: daily digest to 2026-12-04, 49 new' } });
    expect(message.blocks[1]?.text.text).toContain('|Item 1>');
    expect(message.text.split('\n')).toHaveLength(50);
  });

  it('cuts a long header to the 150 characters Slack allows', () => {
    const message = slackDigestMessage('w'.repeat(100), 'weekly', new Date('2026-11-30T00:00:00Z'), [signalJson(1, 'x')]);
    expect(message.blocks[0]?.text.text.length).toBeLessThanOrEqual(150);
  });
});
