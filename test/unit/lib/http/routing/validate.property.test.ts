// Whatever a client sends, a mounted route answers with a status we chose on purpose and our error
// shape: never a 500, never a body that is not JSON.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { resetConfig } from '../../../../../lib/config.js';
import { createApp, type App } from '../../../../../lib/http/app.js';
import { errorBodySchema } from '../../../../../lib/http/openapi/document.js';
import type { RouteSpec } from '../../../../../lib/http/routing/route-spec.js';
import { mount } from '../../../../../lib/http/routing/validate.js';
import { resetLog } from '../../../../../lib/log/index.js';

const EXPECTED = [200, 400, 413, 415];
const CODE_BY_STATUS: Record<number, string[]> = {
  400: ['bad_request', 'validation_failed'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
};
const LIMIT = 65_536;

const searchSignals = {
  method: 'post',
  path: '/v1/signals/{id}/search',
  operationId: 'searchSignals',
  summary: 'Search',
  params: z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64)) }),
  query: z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
    sort: z.optional(z.enum(['new', 'top'])),
    since: z.optional(z.iso.datetime()),
    tag: z.optional(z.array(z.string().check(z.maxLength(50)))),
    q: z.optional(z.string().check(z.maxLength(200))),
  }),
  body: z.strictObject({
    title: z.string().check(z.minLength(1), z.maxLength(200)),
    score: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
    tags: z.optional(z.array(z.string()).check(z.maxLength(10))),
    source: z.optional(z.strictObject({ name: z.enum(['hn', 'reddit']), url: z.optional(z.url()) })),
  }),
  responses: { 200: { description: 'results' } },
} satisfies RouteSpec;

const listSignals = { ...searchSignals, method: 'get', path: '/v1/signals', operationId: 'listSignals', params: undefined, body: undefined } satisfies RouteSpec;

/** Names a schema or object prototype might trip over, plus declared names and arbitrary text. */
const key = fc.oneof(
  fc.constantFrom('limit', 'sort', 'since', 'tag', 'q', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const value = fc.oneof(
  fc.constantFrom('', '0', '-0', '1', '100', '101', '1.5', '1e400', '-1e400', 'NaN', 'Infinity', '0x10', '99999999999999999999999', 'new', 'top'),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
);

/** A query string built by URLSearchParams (well-formed) or pasted raw (stray `%`, `&`, `=`). */
const query = fc.oneof(
  fc.array(fc.tuple(key, value), { maxLength: 8 }).map((pairs) => new URLSearchParams(pairs).toString()),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.constantFrom('%', '%zz', 'limit=%E0%A4%A', 'tag', '&&&', '=', 'limit=1&limit=2', 'tag=a&tag=b&tag=c', '__proto__[x]=1'),
);

const body = fc.oneof(
  fc.jsonValue().map((json) => JSON.stringify(json)),
  fc
    .record(
      {
        title: fc.oneof(fc.string({ maxLength: 250 }), fc.integer(), fc.constant(null)),
        score: fc.oneof(fc.double(), fc.string()),
        tags: fc.array(fc.string(), { maxLength: 12 }),
        source: fc.record({ name: fc.constantFrom('hn', 'reddit', 'x'), url: fc.string() }, { requiredKeys: [] }),
        __proto__: fc.jsonValue(),
        extra: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .map((record) => JSON.stringify(record)),
  fc.string({ unit: 'binary', maxLength: 500 }),
  fc.constantFrom('', '{', '{"title":"a"', '{"__proto__":{"title":"x"}}', '{"constructor":{"prototype":{}}}', '\uFEFF{"title":"a"}', 'x'.repeat(LIMIT + 1)),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
  undefined,
);

/** A non-empty path segment: an empty one or `..` changes the route, and the 404 is the router's, not ours. */
const segment = fc.oneof(
  fc.webSegment().filter((s) => s !== '' && s !== '.' && s !== '..'),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', 'a'.repeat(100)),
);

async function expectOurAnswer(response: Response): Promise<void> {
  expect(EXPECTED).toContain(response.status);
  if (response.status === 200) return;
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const parsed = z.safeParse(errorBodySchema, JSON.parse(await response.text()));
  expect(parsed.success).toBe(true);
  if (parsed.success) expect(CODE_BY_STATUS[response.status]).toContain(parsed.data.error.code);
}

describe('a mounted route under random input', () => {
  let app: App;

  beforeAll(() => {
    delete process.env.MAX_BODY_BYTES;
    resetConfig();
    resetLog();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    app = createApp({ name: 'property' });
    mount(app, searchSignals, (c, input) => c.json(input));
    mount(app, listSignals, (c, input) => c.json(input));
  });

  afterAll(() => {
    vi.restoreAllMocks();
    resetConfig();
    resetLog();
  });

  it('answers any query string on a GET route with 200 or 400 in our shape', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (search) => {
        const response = await app.request(`http://localhost/v1/signals?${search}`);
        await expectOurAnswer(response);
      }),
      { numRuns: 300 },
    );
  });

  it('answers any path segment, query, body and content type on a body route in our shape', async () => {
    await fc.assert(
      fc.asyncProperty(segment, query, body, contentType, async (id, search, payload, type) => {
        const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
        const response = await app.request(`http://localhost/v1/signals/${id}/search?${search}`, { method: 'POST', body: payload, headers });
        await expectOurAnswer(response);
      }),
      { numRuns: 300 },
    );
  });

  it('answers random bodies sent as JSON with 200 or 400 only', async () => {
    const small = body.filter((payload) => payload.length <= LIMIT);
    await fc.assert(
      fc.asyncProperty(small, async (payload) => {
        const response = await app.request('http://localhost/v1/signals/abc/search', {
          method: 'POST',
          body: payload,
          headers: { 'content-type': 'application/json' },
        });
        await expectOurAnswer(response);
        expect([200, 400]).toContain(response.status);
      }),
      { numRuns: 300 },
    );
  });

  it('hands the handler only declared fields, whatever was sent', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (search) => {
        const response = await app.request(`http://localhost/v1/signals?${search}`);
        if (response.status !== 200) return;
        const { query: parsed } = (await response.json()) as { query: Record<string, unknown> };
        for (const name of Object.keys(parsed)) expect(['limit', 'sort', 'since', 'tag', 'q']).toContain(name);
      }),
      { numRuns: 300 },
    );
  });
});
