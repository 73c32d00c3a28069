// What the rest of the code uses of lib/http: build an app and its Lambda export, mount routes
// described as data, read the request's state. The OpenAPI generator is imported from
// openapi/document.ts directly: it pulls in zod's JSON Schema code, which only the openapi
// function should bundle.
export { createApp, type App, type CreateAppOptions } from './app.js';
export type { AppBindings, AppEnv, AppVariables, Caller } from './env.js';
export type { ErrorBody } from './errors.js';
export { httpFunction, type HttpFunctionOptions } from './http-function.js';
export { withTextBody } from './lambda/adapter.js';
export { toLambdaHandler, type LambdaHandlerOptions, type LambdaHttpHandler } from './lambda/handler.js';
export type { RequestDeadline } from './middleware/deadline.js';
export { requireTier } from './middleware/require-tier.js';
export { route } from './routing/route.js';
export type { ObjectSchema, ResponseSpec, RouteInput, RouteSpec } from './routing/route-spec.js';
export type { RouteHandler } from './routing/validate.js';
