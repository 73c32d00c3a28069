// Turns what sources send into the plain, bounded text a signal stores: whitespace collapsed for
// titles, HTML reduced to text (HN's `story_text`), and hard length limits so one odd item cannot
// bloat a row or a Slack message (title ≤ 500 characters, text ≤ 10,000).

export const TITLE_MAX_CHARS = 500;
export const TEXT_MAX_CHARS = 10_000;

/** Every whitespace run (newlines included) becomes one space; trimmed. */
export function collapseWhitespace(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * At most `max` UTF-16 units: a longer value is cut and ends with `…` (counted in `max`), never in
 * the middle of a surrogate pair.
 */
export function bound(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end).trimEnd()}…`;
}

/** A title: one line, trimmed, at most TITLE_MAX_CHARS. */
export function cleanTitle(value: string): string {
  return bound(collapseWhitespace(value), TITLE_MAX_CHARS);
}

/**
 * A body: line breaks kept (CRLF → LF), spaces inside a line collapsed, at most one blank line in
 * a row, trimmed, at most TEXT_MAX_CHARS.
 */
export function cleanText(value: string): string {
  const lines = value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim());
  return bound(lines.join('\n').replace(/\n{3,}/g, '\n\n').trim(), TEXT_MAX_CHARS);
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** A numeric character reference's character, or undefined for a code point that is not one. */
function fromCodePoint(code: number): string | undefined {
  if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(code);
}

/** Decodes `&amp;`, `&#39;`, `&#x2F;` and the other entities HTML text commonly carries; unknown ones stay. */
export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const hex = body[1] === 'x' || body[1] === 'X';
      return fromCodePoint(Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10)) ?? whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/**
 * HTML to plain text: script and style contents dropped, paragraphs and line breaks kept as line
 * breaks, every other tag removed, entities decoded. Not a sanitiser: the result is text, never
 * rendered as HTML.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\s*(p|br|div|li|pre|blockquote|h[1-6])\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text);
}
