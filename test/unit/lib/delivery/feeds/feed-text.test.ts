// Text made safe for feeds: what XML forbids is dropped, HTML-read text is escaped, `]]>` never
// survives into a CDATA section, and emoji and right-to-left text pass untouched.
import { describe, expect, it } from 'vitest';
import { attributeText, cdataText, excerpt, htmlText, xmlText } from '../../../../../lib/delivery/feeds/feed-text.js';

describe('feed text', () => {
  it('drops characters XML 1.0 forbids and keeps tab, newlines, emoji and RTL text', () => {
    expect(xmlText('a\u0000b\u0007c\u000Bd\u000Ce\u001Ff\uFFFEg\tn\nr\r')).toBe('abcdefg\tn\nr\r');
    expect(xmlText('🚀 שלום مرحبا 👩🏽‍💻')).toBe('🚀 שלום مرحبا 👩🏽‍💻');
    expect(xmlText('lone \uD800 high and \uDC00 low')).toBe('lone  high and  low');
  });

  it('escapes HTML so a reader shows it as text', () => {
    expect(htmlText(`Tom & Jerry <script>"x"</script> 'y' ]]>`)).toBe('Tom &amp; Jerry &lt;script&gt;&quot;x&quot;&lt;/script&gt; &#39;y&#39; ]]&gt;');
  });

  it('breaks every `]]>` for a CDATA section read as text', () => {
    expect(cdataText('a ]]> b ]]> c')).not.toContain(']]>');
    expect(cdataText('a ]]> b ]]> c').replaceAll('\u200B', '')).toBe('a ]]> b ]]> c');
  });

  it("removes '<' from attribute text", () => {
    expect(attributeText('x<y & z')).toBe('xy & z');
  });

  it('cuts long text near a word boundary with an ellipsis', () => {
    expect(excerpt('short', 10)).toBe('short');
    expect(excerpt('one two three four five', 15)).toBe('one two three…');
    expect(excerpt('one two three four five', 12)).toBe('one two thre…');
    expect(excerpt('abcdefghijklmnop', 5)).toBe('abcde…');
  });
});
