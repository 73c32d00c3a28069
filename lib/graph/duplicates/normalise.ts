// Text as the near-duplicate detector compares it: Unicode NFKC, lower case, links removed,
// punctuation and symbols as separators, English stop-words and one-character tokens dropped. Every
// expression here is linear in its input (no nested quantifiers) and the input is cut first, so a
// hostile text is bounded in time.
import { MAX_TEXT_CHARS, MAX_TEXT_TOKENS, MAX_TITLE_CHARS, MAX_TOKENS } from './params.js';

/** Words that say nothing about which story a text is: English stop-words, the sources' own prefixes, news verbs. */
const STOP_WORDS = new Set(
  (
    'a about above after again all also am an and any are as at be been before being below between both but by can could did do does ' +
    'doing down during each few for from further had has have having he her here hers him his how i if in into is it its itself just ' +
    'me more most my no nor not now of off on once only or other our ours out over own same she should so some such than that the their ' +
    'theirs them then there these they this those through to too under until up very was we were what when where which while who whom ' +
    'why will with would you your yours via rt amp hn show ask tell launch just here today now new out ' +
    'released release releases announcing announces announced introducing'
  ).split(' '),
);

/** http(s) links and bare www. hosts, up to the next white space. */
const LINK = /\b(?:https?:\/\/|www\.)\S*/gu;
/**
 * A token: a version number (`1.80`, `3.12.1`: its dots are part of what it names) or a run of
 * letters and digits. The branches start differently and `[.]` is no letter or digit, so matching is
 * linear (no backtracking).
 */
const TOKEN = /\p{N}+(?:\.\p{N}+)+|[\p{L}\p{N}]+/gu;

function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().replace(LINK, ' ').match(TOKEN) ?? [];
}

/** Stop-words and single letters say nothing; a single digit may (`GPT-5`). */
function keep(word: string): boolean {
  return (word.length > 1 || (word >= '0' && word <= '9')) && !STOP_WORDS.has(word);
}

/**
 * The distinct tokens of an item: its title's, then the first MAX_TEXT_TOKENS new ones of its
 * text, MAX_TOKENS at most. Title and text are cut to MAX_TITLE_CHARS and MAX_TEXT_CHARS before anything else.
 */
export function tokensOf(title: string, text: string): Set<string> {
  const tokens = new Set<string>();
  for (const word of words(title.slice(0, MAX_TITLE_CHARS))) {
    if (tokens.size >= MAX_TOKENS) return tokens;
    if (keep(word)) tokens.add(word);
  }
  let fromText = 0;
  for (const word of words(text.slice(0, MAX_TEXT_CHARS))) {
    if (fromText >= MAX_TEXT_TOKENS || tokens.size >= MAX_TOKENS) break;
    if (keep(word) && !tokens.has(word)) {
      tokens.add(word);
      fromText += 1;
    }
  }
  return tokens;
}
