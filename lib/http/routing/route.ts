// Mounts a route spec with the tier it declares enforced, so a route can never be documented as
// needing a key yet be left unguarded.
import { hasTier } from '../../model/tiers.js';
import { requireTier } from '../middleware/require-tier.js';
import type { App } from '../app.js';
import type { ObjectSchema, RouteSpec } from './route-spec.js';
import { mount, type RouteHandler } from './validate.js';

export function route<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends ObjectSchema | undefined = undefined,
>(app: App, spec: RouteSpec<P, Q, B>, handler: RouteHandler<P, Q, B>): void {
  const tier = spec.tier ?? 'anonymous';
  mount(app, spec, handler, { before: hasTier('anonymous', tier) ? [] : [requireTier(tier)] });
}
