// The composition root of the functions that serve API clients: lib/http's `httpFunction` with the
// default key store (Postgres, default-key-store.ts) and the container's rate limiter wired in. A
// functions/*.ts file is then one line: `export const handler = apiFunction('signals', mountSignalsApi);`.
//
// In a Lambda container (AWS_LAMBDA_INITIALIZATION_TYPE is set by Lambda for the init phase) the
// limiter is built during init, once the secret is loaded, so its warm-up PING opens the Redis
// connection before the first request instead of inside that request's rate-limit budget. Not
// awaited by the import; a failure is logged once (the first request then loads what it needs).
import { httpFunction, type App, type HttpFunctionOptions, type LambdaHttpHandler } from '../http/index.js';
import { log } from '../log/index.js';
import { defaultLimiter } from '../ratelimit/default-limiter.js';
import { ensureSecrets } from '../secrets.js';
import { defaultKeyStore } from './default-key-store.js';

let warming: Promise<void> | undefined;

/** Builds the container's limiter (and so its warm-up PING) ahead of the first request; never rejects. */
export function warmUpLimiter(): Promise<void> {
  warming ??= ensureSecrets()
    .then(() => {
      defaultLimiter();
    })
    .catch((error: unknown) => {
      log.warn('rate limiter warm-up at init failed; the first request builds it', { error: error instanceof Error ? error : new Error(String(error)) });
    });
  return warming;
}

/** What a function may add to the API chain: another way to identify callers (the web session cookie). */
export type ApiFunctionOptions = Pick<HttpFunctionOptions, 'identify'>;

export function apiFunction(name: string, mount: (app: App) => void, options: ApiFunctionOptions = {}): LambdaHttpHandler {
  const handler = httpFunction(name, mount, { ...options, keys: defaultKeyStore, limiter: defaultLimiter });
  if (process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== undefined) void warmUpLimiter();
  return handler;
}
