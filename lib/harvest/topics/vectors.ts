// Text vectors computed locally, deterministically and in microseconds, so topic work needs no
// model download and no network: tokens (lower case, stop-words out, light stemming), then
// signed feature hashing of unigrams and bigrams into VECTOR_DIMENSIONS buckets, sublinear term
// frequency, L2-normalised. Two texts that share words point the same way; cosine compares them.
// Changing anything here changes every vector: bump VECTOR_VERSION so cached ones are not reused.

/** Buckets of the hashed vector (a power of two, so the bucket is the hash's low bits). */
export const VECTOR_DIMENSIONS = 256;
/** Part of every cache key: bump it whenever tokenising, stemming, hashing or weighting changes. */
export const VECTOR_VERSION = 1;
/** A bigram counts this much against a unigram's 1: phrases sharpen, words still dominate. */
export const BIGRAM_WEIGHT = 0.5;

const BUCKET_MASK = VECTOR_DIMENSIONS - 1;

/** English function words plus web noise; none of them says what a text is about. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each else etc ever every few for from further get gets got had has have having he her ' +
    'here hers herself him himself his how however i if in into is it its itself just let like made make many may me might more most ' +
    'much must my myself no nor not now of off on once one only or other our ours ourselves out over own per same she should since so ' +
    'some such than that the their theirs them themselves then there these they this those though through to too two under until up ' +
    'upon us very via was we were what when where which while who whom whose why will with within without would yet you your yours ' +
    'yourself yourselves ' +
    'amp com http https www html htm org net io quot nbsp gt lt'
  ).split(' '),
);

const VOWEL = /[aeiouy]/;

/** True when `word` ends in a doubled consonant that English doubles before -ing/-ed (not l, s, z). */
function endsInDoubledConsonant(word: string): boolean {
  const last = word.at(-1);
  return last !== undefined && word.at(-2) === last && !'aeiouylsz'.includes(last);
}

/**
 * A light English stemmer (the plural and -ing/-ed steps of Porter's first step): agents → agent,
 * vulnerabilities → vulnerability, running → run, embedded → embed. Short words are left alone, and
 * a stem must keep a vowel (string stays string).
 */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  let base = word;
  if (base.endsWith('sses')) base = base.slice(0, -2);
  else if (base.endsWith('ies') && base.length > 4) base = `${base.slice(0, -3)}y`;
  else if (base.endsWith('s') && !base.endsWith('ss') && !base.endsWith('us') && !base.endsWith('is')) base = base.slice(0, -1);
  for (const suffix of ['ing', 'ed']) {
    if (!base.endsWith(suffix)) continue;
    const rest = base.slice(0, -suffix.length);
    if (rest.length >= 3 && VOWEL.test(rest)) base = endsInDoubledConsonant(rest) ? rest.slice(0, -1) : rest;
    break;
  }
  return base;
}

/** Letters and digits in any script; everything else separates tokens. */
const TOKEN = /[\p{L}\p{N}]+/gu;
/** Longest token kept: longer runs are hashes, base64 or URLs' innards, not words. */
const MAX_TOKEN_LENGTH = 32;

/**
 * The text's words in order: lower case, at least two characters, not only digits, no stop-words,
 * stemmed. The same text always gives the same tokens.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const [raw] of text.toLowerCase().matchAll(TOKEN)) {
    if (raw.length < 2 || raw.length > MAX_TOKEN_LENGTH || STOP_WORDS.has(raw) || /^\p{N}+$/u.test(raw)) continue;
    tokens.push(stem(raw));
  }
  return tokens;
}

/** FNV-1a, 32 bits, over UTF-16 code units: fast, stable across runs and platforms. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Adds `weight` for `feature` into its bucket, with the sign from the hash's top bit (collisions cancel out on average). */
function addFeature(vector: Float32Array, feature: string, weight: number): void {
  const hash = fnv1a(feature);
  vector[hash & BUCKET_MASK] = (vector[hash & BUCKET_MASK] ?? 0) + (hash >>> 31 === 1 ? -weight : weight);
}

/** Scales `vector` in place to length 1 (a zero vector stays zero) and returns it. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) * scale;
  return vector;
}

/** How often each item occurs. */
function countAll(items: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

function* bigrams(tokens: readonly string[]): Generator<string> {
  for (let i = 0; i + 1 < tokens.length; i++) yield `${tokens[i] ?? ''} ${tokens[i + 1] ?? ''}`;
}

/**
 * The vector of already tokenised text: each unigram weighs 1 + ln(count) (sublinear: a word said
 * ten times is not ten times the topic), each bigram BIGRAM_WEIGHT times that.
 */
export function tokensVector(tokens: readonly string[]): Float32Array {
  const vector = new Float32Array(VECTOR_DIMENSIONS);
  for (const [unigram, count] of countAll(tokens)) addFeature(vector, unigram, 1 + Math.log(count));
  for (const [bigram, count] of countAll(bigrams(tokens))) addFeature(vector, bigram, BIGRAM_WEIGHT * (1 + Math.log(count)));
  return normalize(vector);
}

/** The L2-normalised vector of `text` (all zeros when it has no words). Pure and deterministic. */
export function textVector(text: string): Float32Array {
  return tokensVector(tokenize(text));
}

/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in length: ${String(a.length)} and ${String(b.length)}`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** The normalised mean direction of `vectors` (all zeros for none). */
export function centroid(vectors: readonly Float32Array[]): Float32Array {
  const sum = new Float32Array(VECTOR_DIMENSIONS);
  for (const vector of vectors) {
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) + (vector[i] ?? 0);
  }
  return normalize(sum);
}

/**
 * Mean cosine over every pair of `vectors` (unit or zero vectors), from the length of their sum:
 * |Σv|² = Σ|v|² + Σ_{i≠j} v_i·v_j. Unlike the mean similarity to the centroid, it does not favour
 * small groups (n unrelated vectors are each 1/√n from their centroid, but 0 from each other).
 * 0 for fewer than two vectors.
 */
export function meanPairwiseSimilarity(vectors: readonly Float32Array[]): number {
  if (vectors.length < 2) return 0;
  const sum = new Float32Array(VECTOR_DIMENSIONS);
  let selfDots = 0;
  for (const vector of vectors) {
    for (let i = 0; i < sum.length; i++) {
      const value = vector[i] ?? 0;
      sum[i] = (sum[i] ?? 0) + value;
      selfDots += value * value;
    }
  }
  let total = 0;
  for (const value of sum) total += value * value;
  return (total - selfDots) / (vectors.length * (vectors.length - 1));
}

/** The text a signal is vectorised and matched by: title, tags, then the start of the body. */
export function signalText(signal: { title: string; text: string; tags: readonly string[] }): string {
  return `${signal.title}\n${signal.tags.join(' ')}\n${signal.text.slice(0, MAX_BODY_CHARS)}`;
}

/** Characters of a body that count: an abstract's worth; the rest adds cost, not meaning. */
export const MAX_BODY_CHARS = 2000;
