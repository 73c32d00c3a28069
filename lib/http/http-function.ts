// One HTTP function in one call: the app with its middleware chain (app.ts), the routes `mount`
// adds, and the Lambda export (lambda/handler.ts). A functions/*.ts file is then a line or two:
// `export const handler = httpFunction('health', mountHealthApi);`. Functions that authenticate
// callers use lib/api/api-function.ts, which wires in the default key store and limiter.
import { createApp, type App, type CreateAppOptions } from './app.js';
import { toLambdaHandler, type LambdaHttpHandler } from './lambda/handler.js';

/** What `httpFunction` may add to the chain: the key store and the limiter (default: neither). */
export type HttpFunctionOptions = Omit<CreateAppOptions, 'name'>;

export function httpFunction(name: string, mount: (app: App) => void, options: HttpFunctionOptions = {}): LambdaHttpHandler {
  const app = createApp({ ...options, name });
  mount(app);
  return toLambdaHandler(app, { name });
}
