import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { resetConfig } from '../../../../../lib/config.js';
import { createApp } from '../../../../../lib/http/app.js';
import type { ErrorBody } from '../../../../../lib/http/errors.js';
import {
  buildOpenApi,
  errorBodySchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiReference,
  type OpenApiResponse,
} from '../../../../../lib/http/openapi/document.js';
import type { RouteSpec } from '../../../../../lib/http/routing/route-spec.js';
import { mount } from '../../../../../lib/http/routing/validate.js';
import { resetLog } from '../../../../../lib/log/index.js';

const signal = z.strictObject({
  id: z.string().check(z.uuid()),
  title: z.string(),
  score: z.number(),
  tags: z.array(z.string()),
});

const listSignals = {
  method: 'get',
  path: '/v1/signals',
  operationId: 'listSignals',
  summary: 'List signals',
  tags: ['signals'],
  query: z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
    min_score: z.optional(z.coerce.number().check(z.minimum(0), z.maximum(1))),
    sort: z.optional(z.enum(['new', 'top'])),
    tag: z.optional(z.array(z.string())),
    q: z.string().check(z.maxLength(200), z.describe('Full-text search terms.')),
  }),
  responses: { 200: { description: 'A page of signals', schema: z.strictObject({ items: z.array(signal) }) } },
} satisfies RouteSpec;

const getSignal = {
  method: 'get',
  path: '/v1/signals/{id}',
  operationId: 'getSignal',
  summary: 'Get one signal',
  tier: 'premium',
  params: z.strictObject({ id: z.string().check(z.uuid()) }),
  responses: { 200: { description: 'The signal', schema: signal }, 404: { description: 'No such signal' } },
} satisfies RouteSpec;

const createSignal = {
  method: 'post',
  path: '/v1/signals',
  operationId: 'createSignal',
  summary: 'Create a signal',
  description: 'Adds a signal by hand.',
  tier: 'admin',
  body: z.strictObject({ title: z.string().check(z.minLength(1)), score: z._default(z.number(), 0) }),
  responses: { 201: { description: 'Created', schema: signal } },
} satisfies RouteSpec;

const deleteSignal = {
  method: 'delete',
  path: '/v1/signals/{id}',
  operationId: 'deleteSignal',
  summary: 'Delete a signal',
  tier: 'api_key',
  params: z.strictObject({ id: z.string().check(z.uuid()) }),
  responses: { 204: { description: 'Deleted' } },
} satisfies RouteSpec;

const REGISTRY: RouteSpec[] = [listSignals, getSignal, createSignal, deleteSignal];
const INFO = { title: 'Signal Harvester', version: '1.2.3' };

function operationOf(doc: OpenApiDocument, spec: RouteSpec): OpenApiOperation {
  const found = doc.paths[spec.path]?.[spec.method];
  if (found === undefined) throw new Error(`${spec.method} ${spec.path} is missing`);
  return found;
}

/** Follows a `#/…` JSON pointer inside the document. */
function resolvePointer(doc: unknown, ref: string): unknown {
  let node = doc;
  for (const segment of ref.replace(/^#\//, '').split('/')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return node;
}

/** Every `$ref` string anywhere in `value`. */
function refsIn(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => (key === '$ref' && typeof child === 'string' ? [child] : refsIn(child)));
}

/** A response with references followed, as a reader of the document would see it. */
function responseOf(doc: OpenApiDocument, response: OpenApiResponse | OpenApiReference | undefined): OpenApiResponse {
  if (response === undefined) throw new Error('no such response');
  return '$ref' in response ? (resolvePointer(doc, response.$ref) as OpenApiResponse) : response;
}

describe('buildOpenApi', () => {
  it('produces an OpenAPI 3.1 document with info, paths and components', () => {
    // Act
    const doc = buildOpenApi(REGISTRY, INFO);

    // Assess
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual(INFO);
    expect(Object.keys(doc.paths).sort()).toEqual(['/v1/signals', '/v1/signals/{id}']);
    expect(Object.keys(doc.components.schemas)).toContain('Error');
    expect(doc.components.securitySchemes).toEqual({
      ApiKeyHeader: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }) as unknown,
      BearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }) as unknown,
    });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('lists every route under its path and method with its operation id, summary and tags', () => {
    // Act
    const doc = buildOpenApi(REGISTRY, INFO);

    // Assess
    for (const spec of REGISTRY) {
      const operation = operationOf(doc, spec);
      expect(operation.operationId).toBe(spec.operationId);
      expect(operation.summary).toBe(spec.summary);
    }
    expect(operationOf(doc, listSignals).tags).toEqual(['signals']);
  });

  it('documents each query field as its own parameter, required only when it has no default and is not optional', () => {
    // Act
    const parameters = operationOf(buildOpenApi(REGISTRY, INFO), listSignals).parameters ?? [];

    // Assess
    expect(parameters.map(({ name, in: where, required }) => ({ name, where, required }))).toEqual([
      { name: 'limit', where: 'query', required: false },
      { name: 'min_score', where: 'query', required: false },
      { name: 'sort', where: 'query', required: false },
      { name: 'tag', where: 'query', required: false },
      { name: 'q', where: 'query', required: true },
    ]);
  });

  it('documents coerced query numbers as the integer or number a client writes', () => {
    // Act
    const parameters = operationOf(buildOpenApi(REGISTRY, INFO), listSignals).parameters ?? [];

    // Assess
    expect(parameters.find((p) => p.name === 'limit')?.schema).toEqual({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
    expect(parameters.find((p) => p.name === 'min_score')?.schema).toEqual({ type: 'number', minimum: 0, maximum: 1 });
  });

  it('documents an array query field as repeated keys, and lifts a field description onto the parameter', () => {
    // Act
    const parameters = operationOf(buildOpenApi(REGISTRY, INFO), listSignals).parameters ?? [];

    // Assess
    expect(parameters.find((p) => p.name === 'tag')).toEqual({
      name: 'tag',
      in: 'query',
      required: false,
      style: 'form',
      explode: true,
      schema: { type: 'array', items: { type: 'string' } },
    });
    expect(parameters.find((p) => p.name === 'q')).toMatchObject({ description: 'Full-text search terms.', schema: { type: 'string', maxLength: 200 } });
  });

  it('documents path parameters as required', () => {
    // Act
    const parameters = operationOf(buildOpenApi(REGISTRY, INFO), getSignal).parameters;

    // Assess
    expect(parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'string', format: 'uuid' }) as unknown }]);
  });

  it('documents a JSON request body that rejects unknown fields', () => {
    // Act
    const operation = operationOf(buildOpenApi(REGISTRY, INFO), createSignal);

    // Assess
    expect(operation.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { title: { type: 'string', minLength: 1 }, score: { type: 'number', default: 0 } },
            required: ['title'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(operation.description).toBe('Adds a signal by hand.\n\nRequires an API key of tier `admin` or above.');
  });

  it('documents declared responses with their schemas, as the handler outputs them', () => {
    // Act
    const doc = buildOpenApi(REGISTRY, INFO);

    // Assess
    expect(operationOf(doc, getSignal).responses['200']).toEqual({
      description: 'The signal',
      content: {
        'application/json': {
          schema: expect.objectContaining({ type: 'object', required: ['id', 'title', 'score', 'tags'] }) as unknown,
        },
      },
    });
    expect(operationOf(doc, deleteSignal).responses['204']).toEqual({ description: 'Deleted' });
  });

  it.each([
    ['an anonymous read', listSignals, ['200', '400', '403', '429', '500']],
    ['a premium read', getSignal, ['200', '400', '401', '403', '404', '429', '500']],
    ['an admin write with a body', createSignal, ['201', '400', '401', '403', '413', '415', '429', '500']],
    ['an api_key delete', deleteSignal, ['204', '400', '401', '403', '429', '500']],
  ])('adds the standard error responses that apply to %s', (_what, spec: RouteSpec, statuses) => {
    // Act
    const operation = operationOf(buildOpenApi(REGISTRY, INFO), spec);

    // Assess
    expect(Object.keys(operation.responses)).toEqual(statuses);
  });

  it('gives every 4xx and 5xx response the shared Error body', () => {
    // Act
    const doc = buildOpenApi(REGISTRY, INFO);

    // Assess
    let checked = 0;
    for (const spec of REGISTRY) {
      for (const [status, response] of Object.entries(operationOf(doc, spec).responses)) {
        if (Number(status) < 400) continue;
        expect(responseOf(doc, response).content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Error' } } });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('describes the error body exactly as lib/http/errors.ts sends it', async () => {
    // Prepare
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    resetConfig();
    resetLog();
    const app = createApp({ name: 'test' });
    mount(app, listSignals, (c) => c.json({}));

    // Act
    const response = await app.request('http://localhost/v1/signals?limit=0&nope=1');
    const schema = buildOpenApi(REGISTRY, INFO).components.schemas.Error;

    // Assess
    expect(response.status).toBe(400);
    expect(z.safeParse(errorBodySchema, await response.json()).success).toBe(true);
    expectTypeOf<z.output<typeof errorBodySchema>>().toExtend<ErrorBody>();
    expect(schema).toMatchObject({ type: 'object', required: ['error'], additionalProperties: false });
    vi.restoreAllMocks();
  });

  it.each([
    ['anonymous, where a key is optional', listSignals, [{}, { ApiKeyHeader: [] }, { BearerAuth: [] }]],
    ['premium, where a key of that tier is required', getSignal, [{ ApiKeyHeader: ['premium'] }, { BearerAuth: ['premium'] }]],
  ])('sets the security requirement of a route that is %s', (_what, spec: RouteSpec, security) => {
    // Act
    const operation = operationOf(buildOpenApi(REGISTRY, INFO), spec);

    // Assess
    expect(operation.security).toEqual(security);
  });

  it('leaves no reference dangling', () => {
    // Act
    const doc = buildOpenApi(REGISTRY, INFO);

    // Assess
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolvePointer(doc, ref), ref).toBeDefined();
  });

  describe('schemas that zod emits with $defs', () => {
    interface Category {
      name: string;
      children: Category[];
    }
    const category: z.ZodMiniType<Category> = z.strictObject({
      name: z.string(),
      get children() {
        return z.array(category);
      },
    });
    const tree = {
      method: 'get',
      path: '/v1/categories',
      operationId: 'listCategories',
      summary: 'The category tree',
      responses: { 200: { description: 'The roots', schema: z.strictObject({ roots: z.array(category) }) } },
    } satisfies RouteSpec;
    const root = {
      method: 'get',
      path: '/v1/categories/root',
      operationId: 'getRootCategory',
      summary: 'The root category',
      responses: { 200: { description: 'The root', schema: category } },
    } satisfies RouteSpec;

    beforeEach(() => {
      z.globalRegistry.clear();
    });

    afterEach(() => {
      z.globalRegistry.clear();
    });

    it('moves a recursive schema into components, so its references resolve inside the document', () => {
      // Act
      const doc = buildOpenApi([tree, root], INFO);

      // Assess
      const refs = refsIn(doc.paths);
      expect(refs.some((ref) => ref.startsWith('#/components/schemas/Schema'))).toBe(true);
      for (const ref of refsIn(doc)) expect(resolvePointer(doc, ref), ref).toBeDefined();
      expect(JSON.stringify(doc)).not.toContain('$defs');
    });

    it('names a component after the id a schema is registered with', () => {
      // Prepare
      const named = z.strictObject({ id: z.string() }).register(z.globalRegistry, { id: 'Thing' });
      const spec = { ...tree, responses: { 200: { description: 'Things', schema: z.array(named) } } } satisfies RouteSpec;

      // Act
      const doc = buildOpenApi([spec], INFO);

      // Assess
      expect(doc.components.schemas.Thing).toEqual({ type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false });
      expect(responseOf(doc, operationOf(doc, spec).responses['200']).content).toEqual({
        'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } },
      });
    });
  });

  describe('registries it refuses', () => {
    it('refuses an operation id used twice', () => {
      // Act
      const act = (): unknown => buildOpenApi([listSignals, { ...getSignal, operationId: 'listSignals' }], INFO);

      // Assess
      expect(act).toThrow('operationId listSignals is used twice');
    });

    it('refuses the same method and path described twice', () => {
      // Act
      const act = (): unknown => buildOpenApi([listSignals, { ...listSignals, operationId: 'listAgain' }], INFO);

      // Assess
      expect(act).toThrow('GET /v1/signals is described twice');
    });

    it('refuses a spec that mount would refuse', () => {
      // Act
      const act = (): unknown => buildOpenApi([{ ...listSignals, query: z.object({ q: z.string() }) }], INFO);

      // Assess
      expect(act).toThrow('query must be z.strictObject');
    });
  });
});
