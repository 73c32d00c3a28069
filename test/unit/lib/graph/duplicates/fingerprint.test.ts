// The near-duplicate fingerprint, pure: normalisation (NFKC, case, links, punctuation, stop-words,
// version numbers), the exact Jaccard it is compared on, the LSH band keys that find candidates,
// and hostile text bounded in time and size.
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../../../../lib/graph/duplicates/fingerprint.js';
import { bandKeys, jaccard, minhash } from '../../../../../lib/graph/duplicates/minhash.js';
import { tokensOf } from '../../../../../lib/graph/duplicates/normalise.js';
import { BANDS, MAX_TOKENS, SIGNATURE_SIZE, SIMILARITY_THRESHOLD } from '../../../../../lib/graph/duplicates/params.js';

function similarityOf(a: string, b: string): number {
  const x = fingerprintOf(a, '');
  const y = fingerprintOf(b, '');
  if (x === undefined || y === undefined) throw new Error('no fingerprint');
  return jaccard(x.tokens, y.tokens);
}

function sharedBands(a: string, b: string): number {
  const x = fingerprintOf(a, '')?.bandKeys ?? [];
  const y = new Set(fingerprintOf(b, '')?.bandKeys ?? []);
  return x.filter((key) => y.has(key)).length;
}

describe('tokensOf', () => {
  it('folds compatibility forms and case, drops links, punctuation, stop-words and single letters, keeps version numbers', () => {
    expect([...tokensOf('Ｚｅｐｈｙｒ 7B is OUT — beats GPT-4 (v1.80.0)! https://t.co/AbC www.example.com/x', '')]).toEqual([
      'zephyr',
      '7b',
      'beats',
      'gpt',
      '4',
      'v1',
      '80.0',
    ]);
  });

  it('takes the title, then a bounded number of new words from the text', () => {
    const tokens = tokensOf('Alpha beta gamma', Array.from({ length: 200 }, (_, n) => `word${String(n)}`).join(' '));

    expect([...tokens].slice(0, 3)).toEqual(['alpha', 'beta', 'gamma']);
    expect(tokens.size).toBe(3 + 24);
  });
});

describe('fingerprintOf', () => {
  it('has none for a text of fewer than three words that say something', () => {
    expect(fingerprintOf('The best of it', '')).toBeUndefined();
  });

  it('matches one story told with different titles on different sources', () => {
    const hn = 'Zephyr 7B, an open chat model that beats Llama 2 70B on MT-Bench';
    const x = 'Zephyr 7B is out 🔥 an open chat model that beats Llama 2 70B on MT-Bench https://t.co/Zph7bXyZ12';

    expect(similarityOf(hn, x)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(sharedBands(hn, x)).toBeGreaterThan(0);
  });

  it('keeps different stories with overlapping words below the threshold', () => {
    expect(similarityOf('Postgres 18 ships asynchronous I/O', 'Postgres 17 ships incremental backup')).toBeLessThan(SIMILARITY_THRESHOLD);
    expect(similarityOf('OpenAI announces GPT-5 model', 'Anthropic announces Claude 4 model')).toBeLessThan(SIMILARITY_THRESHOLD);
    expect(similarityOf('Cloudflare outage takes down large parts of the internet', 'AWS outage takes down large parts of us-east-1')).toBeLessThan(
      SIMILARITY_THRESHOLD,
    );
  });

  it('gives the same fingerprint to the same words in any order or case', () => {
    expect(fingerprintOf('Rust 1.80 stabilises LazyCell', '')).toEqual(fingerprintOf('LAZYCELL stabilises in RUST 1.80', ''));
  });

  it('reads a megabyte of hostile text in bounded time and size', () => {
    const hostile = `${'a'.repeat(500_000)}${'1.'.repeat(200_000)}${'https://x.example/'.repeat(10_000)}${'10.1000/'.repeat(20_000)}`;

    const started = performance.now();
    const fingerprint = fingerprintOf(hostile, hostile);
    const elapsed = performance.now() - started;

    expect(elapsed).toBeLessThan(50);
    expect(fingerprint === undefined || fingerprint.tokens.length <= MAX_TOKENS).toBe(true);
    expect(tokensOf(hostile, hostile).size).toBeLessThanOrEqual(MAX_TOKENS);
  });
});

describe('minhash and bandKeys', () => {
  it('makes a signature of fixed size and one key per band, numbered by band', () => {
    const signature = minhash([1, 2, 3]);
    const keys = bandKeys(signature);

    expect(signature).toHaveLength(SIGNATURE_SIZE);
    expect(keys).toHaveLength(BANDS);
    keys.forEach((key, band) => expect(Math.floor(key / 2 ** 32)).toBe(band));
    expect(keys.every((key) => Number.isSafeInteger(key))).toBe(true);
  });

  it('computes the exact Jaccard similarity of sorted hash lists', () => {
    expect(jaccard([1, 2, 3, 4], [3, 4, 5, 6])).toBeCloseTo(2 / 6);
    expect(jaccard([-5, 0, 7], [-5, 0, 7])).toBe(1);
    expect(jaccard([], [])).toBe(0);
  });
});
