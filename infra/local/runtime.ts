// The local runtime: one Node process that serves every httpApi route of serverless.yml by calling
// the function's real handler with a real API Gateway v2 event, and fires every schedule on time.
// One process, so embedded stores (PGlite, in-memory limiter) are shared by all functions. The
// same server speaks the Lambda Invoke API (lambda-invoke-api.ts) and sets LAMBDA_ENDPOINT to
// itself, so a function that invokes another (the admin jobs API) does it as in the cloud.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { resetConfig } from '../../lib/config.js';
import { resetDb, setDbOpener } from '../../lib/db/client.js';
import { openMigratedDb } from '../../lib/db/prepare-local.js';
import { log } from '../../lib/log/index.js';
import { buildHttpEvent, writeHttpResult } from './api-gateway-event.js';
import { createLambdaContext } from './lambda-context.js';
import {
  invokePathFunction,
  InvokeApiError,
  parseInvokeRequest,
  refuseCaller,
  writeAccepted,
  writeInvokeError,
  writeInvokeResult,
} from './lambda-invoke-api.js';
import { RouteTable } from './route-table.js';
import { buildScheduledEvent } from './scheduled-event.js';
import { parseSchedule } from './schedule.js';
import { loadServiceSpec, type FunctionSpec, type ServiceSpec } from './serverless-config.js';

/** API Gateway's own limit on a request payload. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** setTimeout's largest delay; longer waits re-arm. */
const MAX_TIMER_MS = 2_147_483_647;

type Handler = (event: unknown, context: Context) => Promise<unknown>;

interface LoadedFunction {
  spec: FunctionSpec;
  handler: Handler;
  /** Deployed name, `<service>-<stage>-<name>`, as the Lambda context reports it. */
  functionName: string;
}

export interface LocalRuntimeOptions {
  /** Path of serverless.yml. */
  configPath: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  host?: string;
  stage?: string;
  /** Fire schedules (default true). */
  schedules?: boolean;
  /** Environment used for `${env:…}` and merged under process.env (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Open the database and apply migrations before serving (default true). */
  database?: boolean;
}

export interface ScheduleInfo {
  functionName: string;
  expression: string;
  enabled: boolean;
}

export interface LocalRuntime {
  url: string;
  /**
   * The Invoke API's token, new at each start: the SigV4 access key id a caller must present
   * (lambda-invoke-api.ts). Set as LOCAL_INVOKE_TOKEN for the runtime's own functions.
   */
  invokeToken: string;
  spec: ServiceSpec;
  routes: string[];
  schedules: ScheduleInfo[];
  /** Invokes a function directly, as `serverless invoke` would. */
  invoke(name: string, event: unknown): Promise<unknown>;
  close(): Promise<void>;
}

const runtimeLog = log.child({ component: 'local-runtime' });

/** Applies the provider environment without overriding what the developer exported. */
function applyEnvironment(environment: Record<string, string>): void {
  for (const [key, value] of Object.entries(environment)) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
}

export async function loadFunctions(spec: ServiceSpec): Promise<Map<string, LoadedFunction>> {
  // All at once: the modules share most of lib/, and their loads overlap instead of queueing.
  const modules = await Promise.all(spec.functions.map(async (fn) => (await import(pathToFileURL(fn.file).href)) as Record<string, unknown>));
  const loaded = new Map<string, LoadedFunction>();
  spec.functions.forEach((fn, index) => {
    const handler = modules[index]?.[fn.exportName];
    if (typeof handler !== 'function') throw new Error(`${fn.file} does not export a function named "${fn.exportName}"`);
    loaded.set(fn.name, { spec: fn, handler: handler as Handler, functionName: `${spec.service}-${spec.stage}-${fn.name}` });
  });
  return loaded;
}

/** Runs a handler with a Lambda-like context, failing like Lambda when it overruns its timeout. */
export async function invokeFunction(fn: LoadedFunction, spec: ServiceSpec, event: unknown): Promise<unknown> {
  const context = createLambdaContext({
    functionName: fn.functionName,
    timeoutSeconds: fn.spec.timeoutSeconds,
    memorySize: fn.spec.memorySize,
    region: spec.region,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${fn.spec.name} timed out after ${fn.spec.timeoutSeconds} s`)),
      fn.spec.timeoutSeconds * 1000,
    );
  });
  try {
    return await Promise.race([fn.handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** API Gateway's own answers when it, not a function, responds. */
function gatewayError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
}

function startSchedules(spec: ServiceSpec, functions: Map<string, LoadedFunction>, timers: Set<NodeJS.Timeout>): ScheduleInfo[] {
  const infos: ScheduleInfo[] = [];
  const origin = new Date();
  for (const fn of functions.values()) {
    for (const schedule of fn.spec.schedules) {
      infos.push({ functionName: fn.spec.name, expression: schedule.expression, enabled: schedule.enabled });
      if (!schedule.enabled) continue;
      const clock = parseSchedule(schedule.expression, origin);
      const arm = (after: Date): void => {
        const next = clock.next(after);
        if (next === undefined) return;
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            if (Date.now() < next.getTime()) {
              arm(after); // a wait longer than setTimeout allows: keep waiting
              return;
            }
            arm(next);
            const event = schedule.input ?? buildScheduledEvent({ region: spec.region, functionName: fn.functionName }, next);
            const started = performance.now();
            invokeFunction(fn, spec, event).then(
              (result) =>
                runtimeLog.info('schedule fired', {
                  function: fn.spec.name,
                  expression: schedule.expression,
                  duration_ms: Math.round(performance.now() - started),
                  result: result as Record<string, unknown>,
                }),
              (error: unknown) =>
                runtimeLog.error('scheduled invocation failed', { function: fn.spec.name, error: error as Error }),
            );
          },
          Math.min(MAX_TIMER_MS, Math.max(0, next.getTime() - Date.now())),
        );
        timers.add(timer);
      };
      arm(origin);
    }
  }
  return infos;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const env = options.env ?? process.env;
  const spec = loadServiceSpec({ path: options.configPath, stage: options.stage ?? 'local', env });
  applyEnvironment(spec.environment);
  // One database for every function in this process (PGlite when DATABASE_URL is unset). It opens
  // and migrates while the functions load and the server starts listening; requests that need it
  // wait for it. A failure is logged and fails those requests (503), as a broken database would;
  // the next request that needs the database opens and migrates it again, so a database that was
  // down when the runtime started is picked up once it is back.
  let database: Promise<unknown> = Promise.resolve();
  if (options.database !== false) {
    const opening = setDbOpener(async () => {
      try {
        const { db, result } = await openMigratedDb();
        runtimeLog.info('database ready', { driver: db.driver, applied: result.applied });
        return db;
      } catch (error) {
        runtimeLog.error('database failed to open (retried on the next request that needs it)', { error });
        throw error;
      }
    });
    database = opening.catch(() => undefined);
  }
  const functions = await loadFunctions(spec);

  const table = new RouteTable<LoadedFunction>();
  for (const fn of functions.values()) for (const route of fn.spec.routes) table.add(route, fn);

  /** Functions by the names an Invoke request may use: deployed (`signal-harvester-local-janitor`) or short. */
  const byFunctionName = new Map<string, LoadedFunction>();
  for (const fn of functions.values()) byFunctionName.set(fn.functionName, fn).set(fn.spec.name, fn);
  /** Asynchronous invocations still running; `close` waits for them. */
  const background = new Set<Promise<void>>();

  function runInBackground(fn: LoadedFunction, event: unknown): void {
    const started = performance.now();
    const run = invokeFunction(fn, spec, event)
      .then(
        (result) =>
          runtimeLog.info('asynchronous invocation finished', {
            function: fn.spec.name,
            duration_ms: Math.round(performance.now() - started),
            result: result as Record<string, unknown>,
          }),
        (error: unknown) => runtimeLog.error('asynchronous invocation failed', { function: fn.spec.name, error: error as Error }),
      )
      .finally(() => background.delete(run));
    background.add(run);
  }

  const invokeToken = randomBytes(24).toString('base64url');

  /** `POST /2015-03-31/functions/{name}/invocations`, as Lambda answers it, to this machine's token holders only. */
  async function serveInvoke(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    const refusal = refuseCaller(request.socket.remoteAddress, request.headers.authorization, invokeToken);
    if (refusal !== undefined) {
      request.resume();
      return writeInvokeError(response, refusal);
    }
    const body = await readBody(request);
    if (body === undefined) return writeInvokeError(response, new InvokeApiError(413, 'RequestTooLargeException', 'Request payload too large'));
    const type = request.headers['x-amz-invocation-type'];
    let invocation: ReturnType<typeof parseInvokeRequest>;
    try {
      invocation = parseInvokeRequest(name, Array.isArray(type) ? type[0] : type, body);
    } catch (error) {
      if (error instanceof InvokeApiError) return writeInvokeError(response, error);
      throw error;
    }
    const fn = byFunctionName.get(invocation.functionName);
    if (fn === undefined) return writeInvokeError(response, new InvokeApiError(404, 'ResourceNotFoundException', `Function not found: ${invocation.functionName}`));
    if (invocation.invocationType !== 'RequestResponse') {
      writeAccepted(response, invocation.invocationType);
      if (invocation.invocationType === 'Event') runInBackground(fn, invocation.payload);
      return;
    }
    try {
      writeInvokeResult(response, { result: await invokeFunction(fn, spec, invocation.payload) });
    } catch (error) {
      writeInvokeResult(response, { error });
    }
  }

  const server: Server = createServer((request, response) => {
    void (async () => {
      const method = request.method ?? 'GET';
      const url = request.url ?? '/';
      const invokeTarget = invokePathFunction(method, url.split('?')[0] ?? '/');
      if (invokeTarget !== undefined) return serveInvoke(request, response, invokeTarget);
      const match = table.match(method, url.split('?')[0] ?? '/');
      if (match === undefined) return gatewayError(response, 404, 'Not Found');
      const body = await readBody(request);
      if (body === undefined) return gatewayError(response, 413, 'Request Entity Too Large');
      const event = buildHttpEvent({
        method,
        url,
        headers: request.headers,
        body,
        sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        routeKey: match.routeKey,
        pathParameters: match.pathParameters,
        domainName: `localhost:${String((server.address() as AddressInfo).port)}`,
      });
      try {
        const result = await invokeFunction(match.target, spec, event);
        writeHttpResult(result as Parameters<typeof writeHttpResult>[0], response);
      } catch (error) {
        runtimeLog.error('invocation failed', { function: match.target.spec.name, error: error as Error });
        gatewayError(response, 500, 'Internal Server Error');
      }
    })().catch((error: unknown) => {
      runtimeLog.error('request handling failed', { error: error as Error });
      if (!response.headersSent) gatewayError(response, 500, 'Internal Server Error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host === '0.0.0.0' ? 'localhost' : (options.host ?? '127.0.0.1')}:${String(port)}`;
  // Functions reach the Lambda API here (unless the developer exported an endpoint of their own).
  // Set once the port is known, so the configuration the functions read is parsed again.
  const ownsLambdaEndpoint = (process.env.LAMBDA_ENDPOINT ?? '') === '';
  if (ownsLambdaEndpoint) {
    process.env.LAMBDA_ENDPOINT = url;
    process.env.LOCAL_INVOKE_TOKEN = invokeToken;
    resetConfig();
  }

  const timers = new Set<NodeJS.Timeout>();
  const schedules = options.schedules === false ? [] : startSchedules(spec, functions, timers);

  return {
    url,
    invokeToken,
    spec,
    routes: table.keys(),
    schedules,
    invoke: (name, event) => {
      const fn = functions.get(name);
      if (fn === undefined) throw new Error(`no function named "${name}" in serverless.yml`);
      return invokeFunction(fn, spec, event);
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...background]);
      if (ownsLambdaEndpoint && process.env.LAMBDA_ENDPOINT === url) {
        delete process.env.LAMBDA_ENDPOINT;
        if (process.env.LOCAL_INVOKE_TOKEN === invokeToken) delete process.env.LOCAL_INVOKE_TOKEN;
        resetConfig();
      }
      if (options.database !== false) {
        await database;
        await resetDb();
      }
    },
  };
}
