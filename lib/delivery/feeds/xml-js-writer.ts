// Bundle-time stand-in for `xml-js` (serverless.yml custom.esbuild.alias). The `feed` library only
// calls xml-js's writer (js2xml), but xml-js's index also loads its parsers and their `sax`
// dependency (~25 KB minified): enough to push the feeds bundle past its 400 KB budget. This module
// exposes the writer alone, from the same installed package (by path: the alias would otherwise
// rewrite `xml-js/lib/…` too). Tests and the local runtime load the real xml-js; a unit test checks
// both write the same XML.
import type { js2xml as Js2xml } from 'xml-js';
// @ts-expect-error -- the writer's own file ships no declarations; its type is xml-js's js2xml
import writer from '../../../node_modules/xml-js/lib/js2xml.js';

export const js2xml = writer as typeof Js2xml;
