// The near-duplicate detector's numbers, in one place (README "Near-duplicates" explains them).
// MinHash over a set of word tokens, LSH in bands, a time window and a similarity threshold.

/** MinHash values per signature: BANDS × ROWS. */
export const BANDS = 16;
/** Values per band: two items become candidates when all ROWS values of one band agree. */
export const ROWS = 3;
export const SIGNATURE_SIZE = BANDS * ROWS;
/**
 * Jaccard similarity of two items' token sets from which they are the same story, computed exactly
 * on the stored token hashes of each candidate (the MinHash only finds candidates). The LSH S-curve
 * 1 − (1 − s^3)^16 makes a pair a candidate at s = 0.5 with p ≈ 0.88, at 0.6 with p ≈ 0.98, at
 * 0.7 with p ≈ 0.998.
 */
export const SIMILARITY_THRESHOLD = 0.5;
/**
 * Two items match only if published within this many hours of each other: a story is re-posted to
 * other sources within days, and an old post with similar words ("new release of X") is another story.
 */
export const WINDOW_HOURS = 72;
export const WINDOW_MS = WINDOW_HOURS * 3_600_000;
/** Characters of title and of text read (hostile input: a megabyte of text costs no more than this). */
export const MAX_TITLE_CHARS = 1_000;
export const MAX_TEXT_CHARS = 4_000;
/**
 * Distinct tokens of the body taken after the title's: a story is its headline and first lines; a
 * long Reddit self-post would otherwise swamp the few words an HN title shares with it.
 */
export const MAX_TEXT_TOKENS = 24;
/** Distinct tokens kept per item (title first): bounds a signature's storage and comparison. */
export const MAX_TOKENS = 64;
/** Items with fewer distinct tokens are not matched at all: two words say nothing about a story. */
export const MIN_TOKENS = 3;
/** Stored signals considered per band key and batch (a flood of near-identical posts stays bounded). */
export const MAX_CANDIDATES_PER_KEY = 20;
/** Candidates compared with one item at most (each a Jaccard over ≤ 64 hashes). */
export const MAX_COMPARED_PER_ITEM = 100;
/**
 * same_as edges written per new item at most (its best matches): one is enough to join its group;
 * three link every pair of a story told on three sources. Measured: at 10, a flood of near-identical
 * posts spent most of the ingest writing edges.
 */
export const MAX_MATCHES_PER_ITEM = 3;
