// Merges the Secrets Manager secret into the configuration when due (lib/secrets.ts; a timestamp
// check when fresh), before the steps that read configuration per request (the bootstrap admin key,
// the lazily built rate limiter, the routes' clients). A first load that fails (no earlier value to
// keep) is thrown as SecretsError (503) and answered by the app like any error: correlation id,
// security headers and metrics included, never a route.
import type { MiddlewareHandler } from 'hono';
import { ensureSecrets } from '../../secrets.js';
import type { AppEnv } from '../env.js';

export interface SecretsOptions {
  /** Loads or refreshes the secret. Default: lib/secrets.ts `ensureSecrets`. */
  ensure?: () => Promise<void>;
  /**
   * Whether a failed first load answers the request with the error (default true). False (the
   * health probes): the request goes on, and a probe reports the secret as a component.
   */
  required?: boolean;
}

export function secrets(options: SecretsOptions = {}): MiddlewareHandler<AppEnv> {
  const ensure = options.ensure ?? ensureSecrets;
  const required = options.required ?? true;
  return async function secrets(_c, next) {
    try {
      await ensure();
    } catch (error) {
      if (required) throw error;
    }
    await next();
  };
}
