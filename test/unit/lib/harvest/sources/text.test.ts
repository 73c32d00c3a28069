import { describe, expect, it } from 'vitest';
import { bound, cleanText, cleanTitle, decodeEntities, htmlToText, TEXT_MAX_CHARS, TITLE_MAX_CHARS } from '../../../../../lib/harvest/sources/text.js';

describe('htmlToText', () => {
  it('turns HN story_text into plain text', () => {
    const html = 'First line.<p>Second &amp; third: <a href="https:&#x2F;&#x2F;x.org" rel="nofollow">https:&#x2F;&#x2F;x.org</a> it&#x27;s <i>fine</i>&#39;';
    expect(htmlToText(html)).toBe("First line.\nSecond & third: https://x.org it's fine'");
  });

  it('drops scripts, styles and comments with their content', () => {
    expect(htmlToText('a<script>alert(1)</script>b<style>p{}</style>c<!-- hidden -->d')).toBe('a b c d');
  });
});

describe('decodeEntities', () => {
  it('decodes named and numeric references and leaves unknown or invalid ones', () => {
    expect(decodeEntities('&lt;b&gt; &quot;q&quot; &#128512; &#x1F600; &nbsp;')).toBe('<b> "q" 😀 😀  ');
    expect(decodeEntities('&bogus; &#xD800; &#0;')).toBe('&bogus; &#xD800; &#0;');
  });
});

describe('bound, cleanTitle, cleanText', () => {
  it('cuts with an ellipsis within the limit, never inside a surrogate pair', () => {
    expect(bound('abcdef', 6)).toBe('abcdef');
    expect(bound('abcdefg', 6)).toBe('abcde…');
    const cut = bound('ab😀cd', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });

  it('makes a title one trimmed line of at most 500 characters', () => {
    expect(cleanTitle('  Sparse MoE:\n   Routing\tat the edge ')).toBe('Sparse MoE: Routing at the edge');
    expect(cleanTitle('x'.repeat(2000))).toHaveLength(TITLE_MAX_CHARS);
  });

  it('keeps line breaks in a text, at most one blank line in a row, at most 10,000 characters', () => {
    expect(cleanText(' a  b \r\n\r\n\r\n\r\nc\n')).toBe('a b\n\nc');
    expect(cleanText('y'.repeat(20_000))).toHaveLength(TEXT_MAX_CHARS);
  });
});
