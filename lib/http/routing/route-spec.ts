// A route described as data: method, path, who may call it, and the zod/mini schemas of what it
// takes and returns. `mount` (validate.ts) validates requests against it and `buildOpenApi`
// (openapi/document.ts) documents it, so the docs cannot drift from what the code accepts.
import type * as z from 'zod/mini';
import type { Tier } from '../../model/tiers.js';
import { lenientObjectPaths } from '../../validation/schema-shape.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Params, query and body are objects, and must be `z.strictObject` all the way down so an unknown
 * field is rejected and named, never dropped; `mount` checks this when the route is registered.
 * Query and path values arrive as strings: use `z.coerce.number()` and friends for other types,
 * and `z.array()` for a query field that may repeat (`?tag=a&tag=b`).
 */
export type ObjectSchema = z.ZodMiniObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

export interface ResponseSpec {
  description: string;
  /** The JSON body; omit for a response without one (204). */
  schema?: z.core.$ZodType;
}

export interface RouteSpec<
  P extends ObjectSchema | undefined = ObjectSchema | undefined,
  Q extends ObjectSchema | undefined = ObjectSchema | undefined,
  B extends ObjectSchema | undefined = ObjectSchema | undefined,
> {
  method: HttpMethod;
  /** OpenAPI style, e.g. `/v1/signals/{id}`; every `{name}` must be a field of `params`. */
  path: string;
  /** Unique across the API; becomes the client SDK's method name. */
  operationId: string;
  summary: string;
  /** Longer prose for the docs (CommonMark). */
  description?: string;
  tags?: string[];
  /**
   * Minimum caller tier, enforced by `route` (route.ts), which puts `requireTier`
   * (middleware/require-tier.ts) in `mount`'s `before`, and documented as the route's security requirement.
   * Default `anonymous`: no key needed.
   */
  tier?: Tier;
  params?: P;
  query?: Q;
  /** A JSON body; a route without one rejects any body it is sent. */
  body?: B;
  /** By status; the standard error responses (400, 401, 403, 413, 415, 429, 500) are added for you. */
  responses: Record<number, ResponseSpec>;
}

/** What a parsed params/query object looks like; `{}` when the route declares none. */
export type ParsedObject<S extends ObjectSchema | undefined> = S extends ObjectSchema ? z.output<S> : Record<string, never>;

/** What the handler receives: every part parsed, coerced and defaulted by the route's schemas. */
export interface RouteInput<P extends ObjectSchema | undefined, Q extends ObjectSchema | undefined, B extends ObjectSchema | undefined> {
  params: ParsedObject<P>;
  query: ParsedObject<Q>;
  body: B extends ObjectSchema ? z.output<B> : undefined;
}

const PATH = /^(?:\/(?:[A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\}))+$/;
const PATH_PARAM = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `{id}` names in an OpenAPI path, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(PATH_PARAM)].map((match) => match[1] ?? '');
}

/** `/v1/signals/{id}` → `/v1/signals/:id`, the form Hono's router reads. */
export function toHonoPath(path: string): string {
  return path.replace(PATH_PARAM, ':$1');
}

/**
 * Throws when a spec could not be served or documented faithfully. Runs at module load, so a
 * mistake fails the first test or cold start rather than a request.
 */
export function assertRouteSpec(spec: RouteSpec): void {
  const where = `route ${spec.method.toUpperCase()} ${spec.path}`;
  if (!PATH.test(spec.path)) throw new Error(`${where}: path must look like /v1/things/{id}`);
  const inPath = pathParamNames(spec.path).sort();
  const declared = Object.keys(spec.params?.shape ?? {}).sort();
  if (inPath.join(',') !== declared.join(',')) {
    const list = (names: string[]): string => (names.length === 0 ? '(none)' : names.join(', '));
    throw new Error(`${where}: path parameters ${list(inPath)} must be exactly the params fields ${list(declared)}`);
  }
  for (const [status, response] of Object.entries(spec.responses)) {
    // Every error leaves through lib/http/errors.ts in one shape, documented once as `Error`.
    if (Number(status) >= 400 && response.schema !== undefined) throw new Error(`${where}: a ${status} response always has the Error body; drop its schema`);
  }
  for (const [part, schema] of [['params', spec.params], ['query', spec.query], ['body', spec.body]] as const) {
    if (schema === undefined) continue;
    const lenient = lenientObjectPaths(schema);
    if (lenient.length > 0) {
      const at = lenient.map((path) => (path === '' ? part : `${part}.${path}`)).join(', ');
      throw new Error(`${where}: ${at} must be z.strictObject, so unknown fields are rejected rather than dropped`);
    }
  }
}
