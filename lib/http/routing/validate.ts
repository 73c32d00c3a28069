// Registers a route from its spec, with the checks of ARCHITECTURE §3 step 7 in front of the
// handler, in this order:
//   1. body limit            413  (every route: a body is bounded before anyone reads it)
//   2. options.before        the route's own guards (route.ts puts `requireTier` here), so a body
//                            is never parsed for a caller the route refuses; authentication and
//                            the rate limit ran earlier, in the app's chain (app.ts)
//   3. content type          415  (routes with a body schema; a body sent elsewhere is a 400)
//   4. JSON parse            400 "malformed JSON body"
//   5. params, query, body   400 ValidationError, details naming every bad or unknown field; text
//                            Postgres cannot store (a NUL, a lone surrogate) is refused in every
//                            string of every part before the schema sees it
//   6. the handler, with typed, parsed values
import type { Context, MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { getConfig } from '../../config.js';
import { ValidationError } from '../../errors.js';
import { firstPerField, toFieldErrors, type FieldError, type FieldLocation } from '../../validation/field-errors.js';
import { unstorableTextErrors } from '../../validation/storable-text.js';
import type { App } from '../app.js';
import { bodyLimit } from '../middleware/body-limit.js';
import { readJsonBody } from './json-body.js';
import { queryLayout, readQuery } from './query.js';
import { assertRouteSpec, toHonoPath, type ObjectSchema, type RouteInput, type RouteSpec } from './route-spec.js';
import type { AppEnv } from '../env.js';

export type RouteHandler<P extends ObjectSchema | undefined, Q extends ObjectSchema | undefined, B extends ObjectSchema | undefined> = (
  c: Context<AppEnv>,
  input: RouteInput<P, Q, B>,
) => Response | Promise<Response>;

export interface MountOptions {
  /**
   * Middleware run after the body limit and before the body is parsed or anything validated:
   * the route's tier guard goes here (route.ts). Default: none.
   */
  before?: MiddlewareHandler<AppEnv>[];
}

/**
 * Stands in for an absent params or query schema, so stray query parameters are still rejected.
 * Marked pure so a bundle that reaches this module through lib/http's index without mounting a
 * route (health, fallback) leaves it out.
 */
const NOTHING = /* @__PURE__ */ z.strictObject({});

/** Parses one part of the request; problems are added to `errors` rather than thrown one by one. */
function parsePart(schema: ObjectSchema, input: unknown, location: FieldLocation, errors: FieldError[]): unknown {
  // First, so a field's entry says why it can never be stored rather than another complaint.
  const unstorable = unstorableTextErrors(location, input);
  errors.push(...unstorable);
  const result = z.safeParse(schema, input);
  if (result.success) return unstorable.length === 0 ? result.data : undefined;
  errors.push(...toFieldErrors(location, result.error.issues));
  return undefined;
}

interface ParsedRequest {
  params: unknown;
  query: unknown;
  body: unknown;
}

/** Steps 3–5 for one route, with everything that depends only on the spec worked out up front. */
function requestParser(spec: RouteSpec): (c: Context<AppEnv>) => Promise<ParsedRequest> {
  const paramsSchema = spec.params ?? NOTHING;
  const querySchema = spec.query ?? NOTHING;
  const bodySchema = spec.body;
  const layout = queryLayout(querySchema.shape);

  return async function parseRequest(c) {
    const raw = await readJsonBody(c.req, bodySchema !== undefined);
    const errors: FieldError[] = [];
    const params = parsePart(paramsSchema, c.req.param(), 'params', errors);
    const query = readQuery(new URL(c.req.url).searchParams, layout);
    errors.push(...query.errors);
    const parsedQuery = parsePart(querySchema, query.values, 'query', errors);
    let body: unknown;
    if (bodySchema !== undefined) {
      if (raw === undefined) errors.push({ location: 'body', field: '', message: 'is required' });
      else body = parsePart(bodySchema, raw, 'body', errors);
    }
    if (errors.length > 0) throw new ValidationError('request validation failed', { details: firstPerField(errors) });
    return { params, query: parsedQuery, body };
  };
}

/**
 * Registers `spec` on `app`: Hono path from the OpenAPI path, request checks in the order above,
 * then `handler` with the parsed values. Throws at once if the spec is inconsistent.
 */
export function mount<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends ObjectSchema | undefined = undefined,
>(app: App, spec: RouteSpec<P, Q, B>, handler: RouteHandler<P, Q, B>, options: MountOptions = {}): void {
  assertRouteSpec(spec);
  const parseRequest = requestParser(spec);
  const handle: MiddlewareHandler<AppEnv> = async function validated(c) {
    // Each part was produced by parsing with this spec's own schema (an absent params or query
    // schema yields `{}`, an absent body `undefined`); TypeScript cannot follow a schema chosen at
    // run time back to the type parameters, so the link is asserted here, once.
    return handler(c, (await parseRequest(c)) as RouteInput<P, Q, B>);
  };
  app.on(spec.method.toUpperCase(), toHonoPath(spec.path), bodyLimit({ maxBytes: getConfig().MAX_BODY_BYTES }), ...(options.before ?? []), handle);
}
