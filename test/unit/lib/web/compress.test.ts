// Which encoding a page is sent in, from the client's Accept-Encoding: brotli first, then gzip,
// honouring q=0 refusals; nothing for a client that accepts neither.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compress } from '../../../../lib/web/compress.js';

describe('chooseEncoding', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip;q=0.5', 'gzip'],
    ['BR', 'br'],
    ['deflate', undefined],
    ['identity', undefined],
    ['gzip;q=0, br;q=0', undefined],
    [undefined, undefined],
  ] as const)('answers %s with %s', (header, expected) => {
    // Act + Assess
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('compress', () => {
  it('round-trips a page with emoji and RTL text in both encodings', () => {
    // Prepare
    const text = '<p dir="auto">مرحبا 🚀 &amp; שלום</p>'.repeat(100);
    const bytes = Buffer.from(text);

    // Act
    const br = compress(bytes, 'br');
    const gzip = compress(bytes, 'gzip');

    // Assess
    expect(brotliDecompressSync(br).toString('utf8')).toBe(text);
    expect(gunzipSync(gzip).toString('utf8')).toBe(text);
    expect(br.byteLength).toBeLessThan(bytes.byteLength / 10);
  });
});
