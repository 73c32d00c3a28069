// The bundle-time stand-in for xml-js writes exactly what xml-js writes; and a feed bundled with
// the alias of serverless.yml (no sax) still renders, byte for byte as in tests.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as xmlJs from 'xml-js';
import { js2xml } from '../../../../../lib/delivery/feeds/xml-js-writer.js';
import { renderFeed, type FeedMeta } from '../../../../../lib/delivery/feeds/render.js';
import type { Signal } from '../../../../../lib/model/signal.js';
import { readServiceBuildOptions } from '../../../../bench/esbuild-options.js';

const DOC = { rss: { _attributes: { version: '2.0' }, channel: { title: { _text: 'A & B <c>' }, item: [{ title: { _cdata: 'x ]]> y' } }] } } };
const OPTIONS = { compact: true, spaces: 4 } as const;

const META: FeedMeta = {
  name: 'n & <m>',
  id: 'https://h/v1/watches/1',
  selfUrls: { atom: 'https://h/f.atom', rss: 'https://h/f.rss', json: 'https://h/f.json' },
  homeUrl: 'https://h/v1/signals',
  signalUrlBase: 'https://h/v1/signals',
  updated: new Date('2026-01-01T00:00:00Z'),
};
const SIGNAL = {
  id: '7', url: 'https://example.com/?a=1&b=2', title: 'Tom & Jerry 🚀 שלום', text: 'x < y', author: 'A&B',
  publishedAt: new Date('2026-01-01T00:00:00Z'), updatedAt: new Date('2026-01-01T00:00:00Z'), category: 'R&D', tags: ['t'],
} as unknown as Signal;

describe('the xml-js writer stand-in', () => {
  it('writes what xml-js writes', () => {
    expect(js2xml(DOC, OPTIONS)).toBe(xmlJs.js2xml(DOC, OPTIONS));
  });

  it('renders feeds from a bundle built with the alias, without sax, as the unbundled code does', async () => {
    const service = readServiceBuildOptions('serverless.yml');
    const result = await build({
      ...service.options,
      stdin: { contents: "export { renderFeed } from './lib/delivery/feeds/render.ts';", resolveDir: process.cwd(), loader: 'ts' },
      write: false,
      metafile: true,
      banner: {},
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.includes('node_modules/sax/'))).toBe(false);
    expect(inputs.some((path) => path.includes('xml-js-writer'))).toBe(true);
    const code = result.outputFiles[0]?.text ?? '';
    const url = `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
    const bundled = (await import(url)) as { renderFeed: typeof renderFeed };
    for (const format of ['atom', 'rss'] as const) {
      expect(bundled.renderFeed(format, META, [SIGNAL]).body).toBe(renderFeed(format, META, [SIGNAL]).body);
    }
    expect(readFileSync('serverless.yml', 'utf8')).toContain('xml-js: ./lib/delivery/feeds/xml-js-writer.ts');
  });
});
