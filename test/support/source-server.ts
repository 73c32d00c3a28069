// A real HTTP server on 127.0.0.1 (a free port) that plays a public source for the adapter tests:
// it records every request it receives (path, query string, headers) and answers with whatever the
// test's responder says — a recorded fixture from test/fixtures/sources/, an error status, a delay.
// No function of ours is stubbed: the adapters talk real HTTP to it.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Sleep } from '../../lib/harvest/sources/http.js';
import type { FetchContext } from '../../lib/harvest/types.js';
import { testJobContext } from './job-context.js';

export interface ReceivedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The request body as text ('' for none). */
  body: string;
}

export interface Reply {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Default ''. */
  body?: string;
  /** Wait this long before answering, ms (a slow source). */
  delayMs?: number;
  /** Send the status, headers and body, then leave the response open: an answer that stalls midway. */
  stall?: boolean;
}

export type Responder = (request: ReceivedRequest) => Reply | Promise<Reply>;

export interface SourceServer {
  /** `http://127.0.0.1:<port>`: the base URL to give an adapter. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: ReceivedRequest[];
  /** Replaces how the server answers from now on. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

const notFound: Responder = () => ({ status: 404 });

export async function startSourceServer(responder: Responder = notFound): Promise<SourceServer> {
  let current = responder;
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    const received = new Promise<ReceivedRequest>((resolve) => {
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers, body });
      });
    });
    void received.then((entry) => {
      requests.push(entry);
      return current(entry);
    }).then((reply) => {
      const send = (): void => {
        if (response.destroyed) return;
        response.writeHead(reply.status ?? 200, reply.headers ?? {});
        if (reply.stall === true) response.write(reply.body ?? '');
        else response.end(reply.body ?? '');
      };
      if (reply.delayMs === undefined) return send();
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, reply.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    requests,
    respond(next) {
      current = next;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A source server shared by a test file: its lifecycle belongs to `useSourceServer`. */
export type SharedSourceServer = Omit<SourceServer, 'close'>;

/**
 * Registers the hooks for one source server per test file (call it at module level): started
 * before all tests, closed after them, and before each test its requests forgotten and `responder`
 * (default: 404 to everything) answering again. Its `url` can be read from a hook or a test on.
 */
export function useSourceServer(responder: Responder = notFound): SharedSourceServer {
  let started: SourceServer | undefined;
  const current = (): SourceServer => {
    if (started === undefined) throw new Error('the source server starts in beforeAll: use it from a hook or a test');
    return started;
  };
  beforeAll(async () => {
    started = await startSourceServer(responder);
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(() => {
    current().requests.length = 0;
    current().respond(responder);
  });
  return {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    respond(next) {
      current().respond(next);
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (one opened and closed again): a refused connection. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

/**
 * Config variables pointing all five sources at `baseUrl` (a source server: `/hackernews`,
 * `/github`, `/arxiv`, `/reddit`, `/reddit-auth`, `/x`), one query each, one page per query.
 */
export function sourceEnv(baseUrl: string): Record<string, string> {
  return {
    HACKERNEWS_API_URL: `${baseUrl}/hackernews`,
    HACKERNEWS_QUERIES: 'llm',
    GITHUB_API_URL: `${baseUrl}/github`,
    GITHUB_QUERIES: 'topic:llm',
    ARXIV_API_URL: `${baseUrl}/arxiv`,
    ARXIV_QUERIES: 'cat:cs.LG',
    REDDIT_API_URL: `${baseUrl}/reddit`,
    REDDIT_AUTH_URL: `${baseUrl}/reddit-auth`,
    REDDIT_CLIENT_ID: 'test-app',
    REDDIT_CLIENT_SECRET: 'test-secret',
    REDDIT_SUBREDDITS: 'MachineLearning',
    X_API_URL: `${baseUrl}/x`,
    X_QUERIES: 'llm',
    X_BEARER_TOKEN: 'test-bearer-token',
    SOURCE_MAX_PAGES: '1',
  };
}

/** The text of a recorded response in test/fixtures/sources/. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/sources/${name}`, import.meta.url), 'utf8');
}

/** A recorded JSON fixture, parsed, for tests that reshape it (filter by cursor, change a field). */
export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

/** A 200 JSON reply. */
export function json(body: unknown, headers: Record<string, string> = {}): Reply {
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/** Answers with `replies` in turn; the last one repeats. */
export function inTurn(...replies: Reply[]): Responder {
  let next = 0;
  return () => {
    const reply = replies[Math.min(next, replies.length - 1)] ?? { status: 500 };
    next += 1;
    return reply;
  };
}

/** A sleep that returns at once and records each wait asked for, ms. */
export function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}

export interface RunContextOptions {
  /** The cursors stored by the previous run. Default: none (a first run). */
  cursors?: ReadonlyMap<string, string>;
  /** Default: a signal that never aborts. */
  signal?: AbortSignal;
  /** Default: never stop. */
  shouldStop?: () => boolean;
  remainingMs?: () => number;
  now?: () => number;
}

/** A FetchContext for one run of an adapter: a discover run (test/support/job-context.ts) carried as is. */
export function runContext(options: RunContextOptions = {}): FetchContext {
  const run = testJobContext({
    signal: options.signal ?? new AbortController().signal,
    shouldStop: options.shouldStop ?? (() => false),
    // Unbounded unless the test says: a retry wait never outlasts the run.
    remainingMs: options.remainingMs ?? (() => Number.POSITIVE_INFINITY),
  });
  const context: FetchContext = { run, cursors: options.cursors ?? new Map() };
  if (options.now !== undefined) context.now = options.now;
  return context;
}
