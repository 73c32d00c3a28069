// Generates the OpenAPI 3.1 document from the same route specs `mount` validates with, so what is
// documented is what is accepted. Kept apart from routing/validate.ts (and out of lib/http's index)
// because zod's JSON Schema generator is the heavy part of zod: only the function that serves the
// document should bundle it.
import * as z from 'zod/mini';
import type { Tier } from '../../model/tiers.js';
import { assertRouteSpec, pathParamNames, type RouteSpec } from '../routing/route-spec.js';

type JsonSchema = z.core.JSONSchema.BaseSchema;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
  style?: 'form';
  explode?: boolean;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, OpenApiMediaType>;
}

export type OpenApiReference = { $ref: string };

/** A security requirement: scheme name → role names (OpenAPI 3.1 allows roles for any scheme). */
export type SecurityRequirement = Record<string, string[]>;

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  security: SecurityRequirement[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: true; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse | OpenApiReference>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiInfo;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

/** The body of every error response (lib/http/errors.ts `ErrorBody`), as a schema. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string().check(z.describe('Stable machine-readable code, e.g. `validation_failed`.')),
    message: z.string().check(z.describe('Human-readable; for 5xx only a fixed phrase.')),
    details: z.optional(
      z
        .union([z.record(z.string(), z.unknown()), z.array(z.unknown())])
        .check(z.describe('Client-safe specifics, e.g. `[{ location, field, message }]` for a 400.')),
    ),
    requestId: z.string().check(z.describe('Correlation id, also sent as `x-correlation-id`.')),
  }),
});

const ERROR_REF = '#/components/schemas/Error';
const JSON_TYPE = 'application/json';

/** The error responses the middleware chain can produce, named once in `components.responses`. */
const STANDARD_RESPONSES = {
  400: { name: 'BadRequest', description: 'Malformed request or failed validation; `details` names each field.' },
  401: { name: 'Unauthorized', description: 'No API key was sent and this route needs one.' },
  403: { name: 'Forbidden', description: 'The API key is unknown, revoked, or below the tier this route needs.' },
  413: { name: 'PayloadTooLarge', description: 'The request body is larger than the limit.' },
  415: { name: 'UnsupportedMediaType', description: 'The request body is not `application/json`.' },
  429: { name: 'TooManyRequests', description: 'Rate limit exceeded; retry after `Retry-After` seconds.' },
  500: { name: 'InternalError', description: 'Unexpected server error; the message says only "internal error".' },
} as const;

type StandardStatus = keyof typeof STANDARD_RESPONSES;

const SECURITY_SCHEMES = {
  ApiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key.' },
  BearerAuth: { type: 'http', scheme: 'bearer', description: 'The same API key, sent as `Authorization: Bearer <key>`.' },
} as const;

function errorResponse(description: string): OpenApiResponse {
  return { description, content: { [JSON_TYPE]: { schema: { $ref: ERROR_REF } } } };
}

const RETRY_AFTER = { description: 'Seconds until a retry may succeed.', schema: { type: 'integer', minimum: 0 } } as const;

function standardResponses(): Record<string, OpenApiResponse> {
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, { name, description }] of Object.entries(STANDARD_RESPONSES)) {
    const response = errorResponse(description);
    if (status === '429') response.headers = { 'Retry-After': RETRY_AFTER };
    responses[name] = response;
  }
  return responses;
}

/**
 * Which standard error responses a route can produce. 403 is on every route: any route accepts a
 * key (it lifts the rate limit) and an unknown or revoked one is refused whatever the route's tier.
 */
function standardStatuses(spec: RouteSpec): StandardStatus[] {
  const statuses: StandardStatus[] = [400];
  if (requiresKey(spec.tier)) statuses.push(401);
  statuses.push(403);
  if (spec.body !== undefined) statuses.push(413, 415);
  statuses.push(429, 500);
  return statuses;
}

function requiresKey(tier: Tier | undefined): tier is Exclude<Tier, 'anonymous'> {
  return tier !== undefined && tier !== 'anonymous';
}

/** Anonymous routes accept a key (it lifts the rate limit), so `{}` — no auth — is one option. */
function security(tier: Tier | undefined): SecurityRequirement[] {
  if (!requiresKey(tier)) return [{}, { ApiKeyHeader: [] }, { BearerAuth: [] }];
  return [{ ApiKeyHeader: [tier] }, { BearerAuth: [tier] }];
}

const COMPONENT_REF = '#/components/schemas/';

/**
 * Converts schemas to JSON Schema for the document. Inside an OpenAPI document a `$ref` resolves
 * against the document, so zod's self-contained output needs two fixes: `$defs` (schemas
 * registered with an `id`, and recursive ones) move to `components.schemas`, and a schema that
 * refers to itself as `#` becomes a component of its own. Recursive schemas without an `id` get a
 * generated name (`Schema1`); register them with an `id` for a readable one.
 */
class SchemaConverter {
  readonly components: Record<string, JsonSchema> = {};
  private generated = 0;

  convert(schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema {
    // Draft 2020-12 is OpenAPI 3.1's schema dialect. `input` for requests: a field with a default
    // is optional to send, and a coerced number is documented as the number the client writes.
    const { $schema: _dialect, $defs = {}, ...root } = z.toJSONSchema(schema, { target: 'draft-2020-12', io });
    const names = new Map<string, string>();
    for (const name of Object.keys($defs)) names.set(name, name.startsWith('__schema') ? this.freshName() : name);
    const selfName = mentionsRef(root, '#') ? this.freshName() : undefined;
    const rename = (ref: string): string => {
      if (ref === '#' && selfName !== undefined) return COMPONENT_REF + selfName;
      const local = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
      return local === undefined ? ref : COMPONENT_REF + (names.get(local) ?? local);
    };
    for (const [name, def] of Object.entries($defs)) this.add(names.get(name) ?? name, rewriteRefs(def, rename));
    const converted = rewriteRefs(root, rename);
    if (selfName === undefined) return converted;
    this.add(selfName, converted);
    return { $ref: COMPONENT_REF + selfName };
  }

  /** The schema itself when `json` is only a reference to one of the components. */
  resolve(json: JsonSchema): JsonSchema {
    const name = json.$ref?.startsWith(COMPONENT_REF) === true ? json.$ref.slice(COMPONENT_REF.length) : undefined;
    return (name === undefined ? undefined : this.components[name]) ?? json;
  }

  private add(name: string, json: JsonSchema): void {
    const existing = this.components[name];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(json)) {
      throw new Error(`openapi: two different schemas are both named ${name}`);
    }
    this.components[name] = json;
  }

  private freshName(): string {
    this.generated += 1;
    return `Schema${this.generated}`;
  }
}

function mentionsRef(value: unknown, ref: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, child]) => (key === '$ref' && child === ref) || mentionsRef(child, ref));
}

function rewriteRefs<T>(value: T, rename: (ref: string) => string): T {
  if (Array.isArray(value)) return value.map((item: unknown) => rewriteRefs(item, rename)) as T;
  if (typeof value !== 'object' || value === null) return value;
  // fromEntries, not assignment: a property named `__proto__` must stay a property.
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, key === '$ref' && typeof child === 'string' ? rename(child) : rewriteRefs(child, rename)]),
  ) as T;
}

function parameters(spec: RouteSpec, converter: SchemaConverter): OpenApiParameter[] {
  const result: OpenApiParameter[] = [];
  const parts = [
    ['path', spec.params, pathParamNames(spec.path)],
    ['query', spec.query, Object.keys(spec.query?.shape ?? {})],
  ] as const;
  for (const [where, schema, names] of parts) {
    if (schema === undefined) continue;
    const object = converter.resolve(converter.convert(schema, 'input'));
    const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set(object.required ?? []);
    for (const name of names) {
      const { description, ...fieldSchema } = properties[name] ?? {};
      const parameter: OpenApiParameter = { name, in: where, required: where === 'path' || required.has(name), schema: fieldSchema };
      if (typeof description === 'string') parameter.description = description;
      // Repeated keys (`?tag=a&tag=b`) are how a list is sent; form + explode says exactly that.
      if (fieldSchema.type === 'array') {
        parameter.style = 'form';
        parameter.explode = true;
      }
      result.push(parameter);
    }
  }
  return result;
}

function responses(spec: RouteSpec, converter: SchemaConverter): Record<string, OpenApiResponse | OpenApiReference> {
  const result: Record<string, OpenApiResponse | OpenApiReference> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    if (Number(status) >= 400) {
      result[status] = errorResponse(response.description);
    } else if (response.schema === undefined) {
      result[status] = { description: response.description };
    } else {
      result[status] = { description: response.description, content: { [JSON_TYPE]: { schema: converter.convert(response.schema, 'output') } } };
    }
  }
  for (const status of standardStatuses(spec)) {
    result[status] ??= { $ref: `#/components/responses/${STANDARD_RESPONSES[status].name}` };
  }
  return result;
}

function operation(spec: RouteSpec, converter: SchemaConverter): OpenApiOperation {
  const notes = [spec.description, requiresKey(spec.tier) ? `Requires an API key of tier \`${spec.tier}\` or above.` : undefined];
  const description = notes.filter((note) => note !== undefined).join('\n\n');
  const params = parameters(spec, converter);
  // Conventional key order, so the generated document reads like a hand-written one.
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(description === '' ? {} : { description }),
    ...(spec.tags === undefined ? {} : { tags: spec.tags }),
    security: security(spec.tier),
    ...(params.length === 0 ? {} : { parameters: params }),
    ...(spec.body === undefined
      ? {}
      : { requestBody: { required: true, content: { [JSON_TYPE]: { schema: converter.convert(spec.body, 'input') } } } }),
    responses: responses(spec, converter),
  };
}

/** The OpenAPI 3.1 document for `specs`; throws on duplicate operation ids or method + path pairs. */
export function buildOpenApi(specs: readonly RouteSpec[], info: OpenApiInfo): OpenApiDocument {
  const converter = new SchemaConverter();
  const paths: OpenApiDocument['paths'] = {};
  const operationIds = new Set<string>();
  for (const spec of specs) {
    assertRouteSpec(spec);
    if (operationIds.has(spec.operationId)) throw new Error(`openapi: operationId ${spec.operationId} is used twice`);
    operationIds.add(spec.operationId);
    const item = (paths[spec.path] ??= {});
    if (item[spec.method] !== undefined) throw new Error(`openapi: ${spec.method.toUpperCase()} ${spec.path} is described twice`);
    item[spec.method] = operation(spec, converter);
  }
  const errorSchema = converter.convert(errorBodySchema, 'output');
  if ('Error' in converter.components) throw new Error('openapi: the schema name Error is reserved for the error body');
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { ...converter.components, Error: errorSchema },
      responses: standardResponses(),
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
