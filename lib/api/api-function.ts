// The composition root of the functions that serve API clients: lib/http's `httpFunction` with the
// default key store (Postgres, default-key-store.ts) and the container's rate limiter wired in. A
// functions/*.ts file is then one line: `export const handler = apiFunction('signals', mountSignalsApi);`.
import { httpFunction, type App, type LambdaHttpHandler } from '../http/index.js';
import { defaultLimiter } from '../ratelimit/default-limiter.js';
import { defaultKeyStore } from './default-key-store.js';

export function apiFunction(name: string, mount: (app: App) => void): LambdaHttpHandler {
  return httpFunction(name, mount, { keys: defaultKeyStore, limiter: defaultLimiter });
}
