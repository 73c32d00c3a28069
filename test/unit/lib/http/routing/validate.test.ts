import type { MiddlewareHandler } from 'hono';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { resetConfig } from '../../../../../lib/config.js';
import { UnauthorizedError } from '../../../../../lib/errors.js';
import { createApp, type App } from '../../../../../lib/http/app.js';
import type { ErrorBody } from '../../../../../lib/http/errors.js';
import type { RouteSpec } from '../../../../../lib/http/routing/route-spec.js';
import type { AppEnv } from '../../../../../lib/http/env.js';
import { mount, type MountOptions } from '../../../../../lib/http/routing/validate.js';
import { resetLog } from '../../../../../lib/log/index.js';

const LIMIT = 65_536;
const ID = '9f1c1b5e-2a7e-4c55-9a0b-1d7c1f1e2a3b';

const listSignals = {
  method: 'get',
  path: '/v1/signals',
  operationId: 'listSignals',
  summary: 'List signals',
  query: z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
    sort: z._default(z.enum(['new', 'top']), 'new'),
    since: z.optional(z.iso.datetime()),
    tag: z.optional(z.array(z.string().check(z.minLength(1)))),
  }),
  responses: { 200: { description: 'the signals' } },
} satisfies RouteSpec;

const updateSignal = {
  method: 'put',
  path: '/v1/signals/{id}',
  operationId: 'updateSignal',
  summary: 'Replace a signal',
  params: z.strictObject({ id: z.string().check(z.uuid()) }),
  body: z.strictObject({
    title: z.string().check(z.minLength(1), z.maxLength(200)),
    score: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
    source: z.optional(z.strictObject({ name: z.string() })),
  }),
  responses: { 200: { description: 'the signal' } },
} satisfies RouteSpec;

const deleteSignal = {
  method: 'delete',
  path: '/v1/signals/{id}',
  operationId: 'deleteSignal',
  summary: 'Delete a signal',
  params: z.strictObject({ id: z.string().check(z.uuid()) }),
  responses: { 204: { description: 'deleted' } },
} satisfies RouteSpec;

function buildApp(options: MountOptions = {}): App {
  const app = createApp({ name: 'test' });
  mount(app, listSignals, (c, { query }) => c.json({ query }), options);
  mount(app, updateSignal, (c, { params, body }) => c.json({ params, body }), options);
  mount(app, deleteSignal, (c) => c.body(null, 204), options);
  return app;
}

function putJson(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): RequestInit {
  return { method: 'PUT', body, headers };
}

async function errorOf(response: Response): Promise<ErrorBody['error']> {
  return ((await response.json()) as ErrorBody).error;
}

/** Keeps the access log lines out of the test output. */
function silenceLogs(): void {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
}

describe('mount', () => {
  beforeEach(() => {
    delete process.env.MAX_BODY_BYTES;
    resetConfig();
    resetLog();
    silenceLogs();
  });

  afterEach(() => {
    vi.restoreAllMocks();
    resetConfig();
    resetLog();
  });

  describe('a valid request', () => {
    it('hands the handler coerced query values with defaults filled in', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const explicit = await app.request('http://localhost/v1/signals?limit=5&sort=top&since=2024-01-31T12:00:00Z');
      const defaulted = await app.request('http://localhost/v1/signals');

      // Assess
      expect(explicit.status).toBe(200);
      expect(await explicit.json()).toEqual({ query: { limit: 5, sort: 'top', since: '2024-01-31T12:00:00Z' } });
      expect(await defaulted.json()).toEqual({ query: { limit: 20, sort: 'new' } });
    });

    it('collects a repeated array-typed query parameter into a list, and a single one into a list of one', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const repeated = await app.request('http://localhost/v1/signals?tag=a&tag=b%20c&tag=d');
      const single = await app.request('http://localhost/v1/signals?tag=solo');

      // Assess
      expect(await repeated.json()).toEqual({ query: { limit: 20, sort: 'new', tag: ['a', 'b c', 'd'] } });
      expect(await single.json()).toEqual({ query: { limit: 20, sort: 'new', tag: ['solo'] } });
    });

    it('hands the handler parsed path params and body', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(
        `http://localhost/v1/signals/${ID}`,
        putJson('{"title":"Rust 2.0","score":0.5,"source":{"name":"hn"}}', { 'content-type': 'application/json; charset=UTF-8' }),
      );

      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ params: { id: ID }, body: { title: 'Rust 2.0', score: 0.5, source: { name: 'hn' } } });
    });

    it('types the handler input from the spec', () => {
      // Prepare
      const app = createApp({ name: 'test' });

      // Act
      mount(app, listSignals, (c, input) => {
        // Assess
        expectTypeOf(input.query.limit).toEqualTypeOf<number>();
        expectTypeOf(input.query.sort).toEqualTypeOf<'new' | 'top'>();
        expectTypeOf(input.query.tag).toEqualTypeOf<string[] | undefined>();
        expectTypeOf(input.params).toEqualTypeOf<Record<string, never>>();
        expectTypeOf(input.body).toEqualTypeOf<undefined>();
        return c.json({});
      });
      mount(app, updateSignal, (c, input) => {
        expectTypeOf(input.params.id).toEqualTypeOf<string>();
        expectTypeOf(input.body.title).toEqualTypeOf<string>();
        expectTypeOf(input.body.score).toEqualTypeOf<number | undefined>();
        return c.json({});
      });
    });
  });

  describe('400 validation failed', () => {
    it('names each unknown query parameter, including prototype names', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/v1/signals?limt=5&__proto__=x&constructor=y');

      // Assess
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual([
        { location: 'query', field: 'limt', message: 'is not a known field' },
        { location: 'query', field: '__proto__', message: 'is not a known field' },
        { location: 'query', field: 'constructor', message: 'is not a known field' },
      ]);
    });

    it('rejects query parameters on a route that declares none', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}?force=true`, { method: 'DELETE' });

      // Assess
      expect(response.status).toBe(400);
      expect((await errorOf(response)).details).toEqual([{ location: 'query', field: 'force', message: 'is not a known field' }]);
    });

    it.each([
      ['out of range', 'limit=1000', 'must be at most 100'],
      ['below range', 'limit=0', 'must be at least 1'],
      ['not a number', 'limit=ten', 'must be a number'],
      ['not an integer', 'limit=1.5', 'must be an integer'],
      ['beyond the safe integers', 'limit=99999999999999999999', 'must be at most 9007199254740991'],
      ['not in the enum', 'sort=old', 'must be one of new, top'],
      ['not a date-time', 'since=yesterday', 'must be an ISO 8601 date-time such as 2024-01-31T12:00:00Z'],
      ['an empty list item', 'tag=', 'must be at least 1 characters'],
    ])('describes a query value that is %s in words', async (_why, query, message) => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals?${query}`);

      // Assess
      expect(response.status).toBe(400);
      const [detail] = (await errorOf(response)).details as { field: string; message: string }[];
      expect(detail?.message).toBe(message);
    });

    it('rejects a scalar query parameter given twice instead of picking one', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/v1/signals?limit=5&limit=6');

      // Assess
      expect(response.status).toBe(400);
      expect((await errorOf(response)).details).toEqual([{ location: 'query', field: 'limit', message: 'must be given only once' }]);
    });

    it('reports every bad field of params, query and body together', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/v1/signals/not-a-uuid?x=1', putJson('{"title":"","score":2,"extra":true,"source":{"name":"hn","url":"u"}}'));

      // Assess
      expect(response.status).toBe(400);
      expect((await errorOf(response)).details).toEqual([
        { location: 'params', field: 'id', message: 'must be a UUID' },
        { location: 'query', field: 'x', message: 'is not a known field' },
        { location: 'body', field: 'title', message: 'must be at least 1 characters' },
        { location: 'body', field: 'score', message: 'must be at most 1' },
        { location: 'body', field: 'source.url', message: 'is not a known field' },
        { location: 'body', field: 'extra', message: 'is not a known field' },
      ]);
    });

    it.each([
      ['an array', '[1,2]'],
      ['a number', '42'],
      ['null', 'null'],
    ])('rejects a JSON body that is %s rather than an object', async (_what, body) => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, putJson(body));

      // Assess
      expect(response.status).toBe(400);
      expect((await errorOf(response)).details).toEqual([{ location: 'body', field: '', message: 'must be an object' }]);
    });

    it('says the body is required when a body route gets none', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, { method: 'PUT' });

      // Assess
      expect(response.status).toBe(400);
      expect((await errorOf(response)).details).toEqual([{ location: 'body', field: '', message: 'is required' }]);
    });
  });

  describe('400 bad request', () => {
    it.each([
      ['truncated JSON', '{"title":'],
      ['a trailing comma', '{"title":"a",}'],
      ['plain text', 'hello'],
    ])('answers %s with "malformed JSON body"', async (_what, body) => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, putJson(body));

      // Assess
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({ code: 'bad_request', message: 'malformed JSON body' });
    });

    it('answers bytes that are not UTF-8 with "malformed JSON body"', async () => {
      // Prepare
      const app = buildApp();
      const latin1 = new Uint8Array([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]); // {"title":"é"} in Latin-1

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, {
        method: 'PUT',
        body: latin1,
        headers: { 'content-type': 'application/json' },
      });

      // Assess
      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toBe('malformed JSON body');
    });

    it('refuses a body sent to a route that takes none', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, {
        method: 'DELETE',
        body: '{"reason":"spam"}',
        headers: { 'content-type': 'application/json' },
      });

      // Assess
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({ code: 'bad_request', message: 'this route takes no request body' });
    });
  });

  describe('415 unsupported media type', () => {
    it.each([
      ['text/plain', { 'content-type': 'text/plain' }],
      ['no content type', {}],
      ['form encoding', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['a non-UTF-8 charset', { 'content-type': 'application/json; charset=iso-8859-1' }],
      ['a JSON-like subtype', { 'content-type': 'application/merge-patch+json' }],
    ])('refuses a body sent as %s', async (_what, headers: Record<string, string>) => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, putJson('{"title":"a"}', headers));

      // Assess
      expect(response.status).toBe(415);
      expect(await errorOf(response)).toMatchObject({ code: 'unsupported_media_type', message: 'request body must be application/json' });
    });

    it('accepts application/json in any case with a quoted UTF-8 charset', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, putJson('{"title":"a"}', { 'content-type': 'Application/JSON ; Charset="utf-8"' }));

      // Assess
      expect(response.status).toBe(200);
    });
  });

  describe('413 payload too large', () => {
    it('refuses a body whose Content-Length is over the limit without reading it', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, putJson('{"title":"a"}', {
        'content-type': 'application/json',
        'content-length': String(LIMIT + 1),
      }));

      // Assess
      expect(response.status).toBe(413);
      expect(await errorOf(response)).toMatchObject({
        code: 'payload_too_large',
        message: `request body must be at most ${LIMIT} bytes`,
        details: { maxBytes: LIMIT },
      });
    });

    it('counts the bytes of a body whose Content-Length understates it', async () => {
      // Prepare
      const app = buildApp();
      const body = JSON.stringify({ title: 'x'.repeat(LIMIT) });

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, putJson(body, { 'content-type': 'application/json', 'content-length': '20' }));

      // Assess
      expect(response.status).toBe(413);
    });

    it('counts the bytes of a streamed body that has no Content-Length', async () => {
      // Prepare
      const app = buildApp();
      const chunk = new Uint8Array(16_384).fill(0x20);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          // Endless: only a reader that stops at the limit lets this request finish.
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, {
        method: 'PUT',
        body: stream,
        headers: { 'content-type': 'application/json' },
        duplex: 'half',
      });

      // Assess
      expect(response.status).toBe(413);
      expect(sent).toBeLessThan(LIMIT + 3 * chunk.byteLength);
    });

    it('accepts a body of exactly the limit', async () => {
      // Prepare
      const app = buildApp();
      const padding = ' '.repeat(LIMIT - '{"title":"a"}'.length);

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, putJson(`{"title":"a"}${padding}`));

      // Assess
      expect(response.status).toBe(200);
    });

    it('follows MAX_BODY_BYTES from the configuration', async () => {
      // Prepare
      process.env.MAX_BODY_BYTES = '2048';
      resetConfig();
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, putJson(JSON.stringify({ title: 'x'.repeat(2048) })));

      // Assess
      expect(response.status).toBe(413);
      delete process.env.MAX_BODY_BYTES;
    });

    it('limits the body of a route that takes none, too', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, {
        method: 'DELETE',
        body: 'x'.repeat(LIMIT + 1),
      });

      // Assess
      expect(response.status).toBe(413);
    });
  });

  describe('before middleware', () => {
    const refuse: MiddlewareHandler<AppEnv> = function refuse() {
      throw new UnauthorizedError();
    };

    it('runs before the body is parsed, so a refused caller never gets a JSON error', async () => {
      // Prepare
      const app = buildApp({ before: [refuse] });

      // Act
      const malformed = await app.request(`http://localhost/v1/signals/${ID}`, putJson('{"title":'));
      const wrongType = await app.request(`http://localhost/v1/signals/${ID}`, putJson('x', { 'content-type': 'text/plain' }));
      const unknownQuery = await app.request('http://localhost/v1/signals?nope=1');

      // Assess
      expect([malformed.status, wrongType.status, unknownQuery.status]).toEqual([401, 401, 401]);
    });

    it('runs after the body limit', async () => {
      // Prepare
      const app = buildApp({ before: [refuse] });

      // Act
      const response = await app.request(`http://localhost/v1/signals/${ID}`, putJson('x'.repeat(LIMIT + 1)));

      // Assess
      expect(response.status).toBe(413);
    });

    it('runs in the order given, then the handler', async () => {
      // Prepare
      const calls: string[] = [];
      const record = (name: string): MiddlewareHandler<AppEnv> =>
        async function recordCall(_c, next) {
          calls.push(name);
          await next();
        };
      const app = createApp({ name: 'test' });
      mount(app, listSignals, (c) => {
        calls.push('handler');
        return c.json({});
      }, { before: [record('first'), record('second')] });

      // Act
      const response = await app.request('http://localhost/v1/signals');

      // Assess
      expect(response.status).toBe(200);
      expect(calls).toEqual(['first', 'second', 'handler']);
    });
  });

  describe('specs it refuses to mount', () => {
    const base = { method: 'post', path: '/v1/things', operationId: 'createThing', summary: 'Create', responses: { 201: { description: 'created' } } } as const;

    it.each([
      ['a stripping query object', { ...base, query: z.object({ a: z.string() }) }, 'query must be z.strictObject'],
      ['a passthrough body object', { ...base, body: z.looseObject({ a: z.string() }) }, 'body must be z.strictObject'],
      ['a stripping object nested in the body', { ...base, body: z.strictObject({ list: z.array(z.object({ a: z.string() })) }) }, 'body.list[0] must be z.strictObject'],
      ['a path parameter missing from params', { ...base, path: '/v1/things/{id}' }, 'path parameters id must be exactly the params fields (none)'],
      ['a params field missing from the path', { ...base, params: z.strictObject({ id: z.string() }) }, 'path parameters (none) must be exactly the params fields id'],
      ['a path with Hono syntax', { ...base, path: '/v1/things/:id' }, 'path must look like'],
      ['an error response with its own schema', { ...base, responses: { 404: { description: 'gone', schema: z.string() } } }, 'a 404 response always has the Error body'],
    ])('refuses %s', (_what, spec: RouteSpec, message) => {
      // Prepare
      const app = createApp({ name: 'test' });

      // Act
      const act = (): void => mount(app, spec, (c) => c.json({}));

      // Assess
      expect(act).toThrow(message);
    });
  });
});
