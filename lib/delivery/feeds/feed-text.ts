// Text made safe for a feed. Signals carry plain text from the open web; the feed library (feed,
// over xml-js) escapes element text, but places titles and summaries in CDATA marked as HTML and
// escapes only `&` and `"` in attributes. So, before anything reaches it:
// - characters XML 1.0 forbids even escaped (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone
//   surrogates) are dropped: one would make the whole document unparseable;
// - text a reader will read as HTML is HTML-escaped, so `<script>` shows as text and never runs,
//   and `]]>` (which xml-js splits only at its first occurrence) cannot occur inside CDATA;
// - category labels lose `<`, the one character the library leaves raw in an attribute.

/** Characters not allowed anywhere in an XML 1.0 document. */
// eslint-disable-next-line no-control-regex -- matching these control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Drops what XML cannot carry; everything else (emoji, RTL text, marks) passes as is. */
export function xmlText(text: string): string {
  return text.replace(XML_FORBIDDEN, '');
}

/** Plain text as HTML that displays it literally. */
export function htmlText(text: string): string {
  return xmlText(text).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * Plain text for a CDATA section read as text (RSS titles): `]]>` would end the section, so a
 * zero-width space goes between `]]` and `>`.
 */
export function cdataText(text: string): string {
  return xmlText(text).replaceAll(']]>', ']]\u200B>');
}

/** A category label safe in an attribute. */
export function attributeText(text: string): string {
  return xmlText(text).replaceAll('<', '');
}

/** At most `max` characters, cut at a word boundary when one is near, with an ellipsis. */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
