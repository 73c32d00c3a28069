// A local Lambda Runtime API (the HTTP interface Lambda's service side offers a runtime, documented
// as "AWS Lambda runtime API", version 2018-06-01), so the real runtime interface client can run a
// function as in the cloud: it long-polls `invocation/next`, then posts `invocation/{id}/response`
// or `invocation/{id}/error`, or `init/error` when the handler cannot even be loaded.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type InvocationOutcome =
  | { kind: 'response'; requestId: string; body: unknown }
  | { kind: 'error'; requestId: string; errorType: string | undefined; body: unknown };

export interface InitError {
  errorType: string | undefined;
  body: unknown;
}

export interface LambdaRuntimeApi {
  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API. */
  address: string;
  /** Queues `event` for the runtime and resolves with what it posts back. */
  invoke(event: unknown, options?: { timeoutMs?: number; functionArn?: string }): Promise<InvocationOutcome>;
  /** Resolves when the runtime reports an init error. */
  readonly initError: Promise<InitError>;
  /** Resolves when the runtime first asks for an invocation: its init (the handler's import) succeeded. */
  readonly initialised: Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  requestId: string;
  event: unknown;
  deadlineMs: number;
  functionArn: string;
  settle: (outcome: InvocationOutcome) => void;
}

const PREFIX = '/2018-06-01/runtime';

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}

export async function startLambdaRuntimeApi(): Promise<LambdaRuntimeApi> {
  const queue: Pending[] = [];
  const inFlight = new Map<string, Pending>();
  /** Runtimes waiting on `next` with nothing queued yet. */
  const waiting: ServerResponse[] = [];
  let reportInitError: (error: InitError) => void = () => undefined;
  const initError = new Promise<InitError>((resolve) => {
    reportInitError = resolve;
  });
  let reportInitialised: () => void = () => undefined;
  const initialised = new Promise<void>((resolve) => {
    reportInitialised = resolve;
  });

  const deliver = (response: ServerResponse, pending: Pending): void => {
    inFlight.set(pending.requestId, pending);
    response.writeHead(200, {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': pending.requestId,
      'lambda-runtime-deadline-ms': String(pending.deadlineMs),
      'lambda-runtime-invoked-function-arn': pending.functionArn,
      'lambda-runtime-trace-id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Sampled=0`,
    });
    response.end(JSON.stringify(pending.event));
  };

  const server = createServer((request, response) => {
    void (async () => {
      const url = request.url ?? '';
      if (request.method === 'GET' && url === `${PREFIX}/invocation/next`) {
        reportInitialised();
        const next = queue.shift();
        if (next === undefined) waiting.push(response);
        else deliver(response, next);
        return;
      }
      const body = await readBody(request);
      const errorType = request.headers['lambda-runtime-function-error-type'];
      if (request.method === 'POST' && url === `${PREFIX}/init/error`) {
        reportInitError({ errorType: typeof errorType === 'string' ? errorType : undefined, body });
        response.writeHead(202).end('{"status":"OK"}');
        return;
      }
      const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
      const pending = match === null ? undefined : inFlight.get(decodeURIComponent(match[1] ?? ''));
      if (request.method !== 'POST' || match === null || pending === undefined) {
        response.writeHead(match === null ? 404 : 400, { 'content-type': 'application/json' }).end('{"errorType":"InvalidRequestID"}');
        return;
      }
      inFlight.delete(pending.requestId);
      response.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      pending.settle(
        match[2] === 'response'
          ? { kind: 'response', requestId: pending.requestId, body }
          : { kind: 'error', requestId: pending.requestId, errorType: typeof errorType === 'string' ? errorType : undefined, body },
      );
    })();
  });
  // The runtime holds `next` open between invocations, as Lambda lets it.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${String(port)}`,
    initError,
    initialised,
    invoke(event, options = {}) {
      return new Promise<InvocationOutcome>((resolve) => {
        const pending: Pending = {
          requestId: randomUUID(),
          event,
          deadlineMs: Date.now() + (options.timeoutMs ?? 30_000),
          functionArn: options.functionArn ?? 'arn:aws:lambda:us-east-1:000000000000:function:test',
          settle: resolve,
        };
        const runtime = waiting.shift();
        if (runtime === undefined) queue.push(pending);
        else deliver(runtime, pending);
      });
    },
    async close() {
      for (const response of waiting.splice(0)) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
