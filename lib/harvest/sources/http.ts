// The one way a source adapter talks HTTP. Each request gets up to three attempts, each bounded by
// its own timeout combined with the caller's signal (the job's budget); network errors, timeouts,
// 5xx and rate limits (429, GitHub's 403 with `x-ratelimit-remaining: 0`) are retried after an
// exponential backoff with jitter, or after exactly the wait the source asked for (`Retry-After`,
// rate-limit reset) when that fits the budget — a longer one gives up at once (the schedule is
// ../retry.ts, shared with the Slack notifier). Any other 4xx is
// final. Whatever fails ends as one SourceError that names the source and the status, never the URL
// or a header. The client counts requests and retries for the run's report.
import { SourceError, type SourceFailure } from './errors.js';
import type { SourceName } from '../../model/sources.js';
import { requestedWait } from '../retry-after.js';
import { nextRetryWait, realSleep, type Sleep } from '../retry.js';

export { realSleep, type Sleep };

/** The retry policy; every field has a default that suits a scheduled job. */
export interface RetryOptions {
  /** Attempts per request, the first included. Default 3. */
  attempts?: number;
  /** Backoff before the first retry, ms; doubled for each further one, with jitter. Default 500. */
  backoffMs?: number;
  /**
   * Longest wait a source may ask for (`Retry-After`, rate-limit reset), ms: a longer one gives up
   * on the request at once instead of holding the job. Default 30,000.
   */
  maxWaitMs?: number;
}

export interface SourceHttpOptions extends RetryOptions {
  /** The adapter's name: the prefix of every error message. */
  source: SourceName;
  /** Budget of one attempt (until the whole body has arrived), ms. */
  timeoutMs: number;
  /** The caller's signal: combined with every attempt's timeout, and it ends a retry wait. */
  signal: AbortSignal;
  /** Time left of the caller's budget, ms: a wait that would not end within it gives up. Default: unbounded. */
  remainingMs?: () => number;
  /** Headers sent with every request (User-Agent, Authorization, Accept); per-request ones override. */
  headers?: Readonly<Record<string, string>>;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default: `realSleep`. */
  sleep?: Sleep;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Clock, ms, for HTTP-date `Retry-After` values and reset times. Default `Date.now`. */
  now?: () => number;
  /** Sees every response's status and headers (a source's rate-limit budget, e.g. Reddit's `x-ratelimit-*`). */
  onResponse?: (headers: Headers, status: number) => void;
}

export interface SourceHttp {
  /** GETs `url` and returns the body as text; throws SourceError when every attempt failed. */
  getText(url: URL, headers?: Readonly<Record<string, string>>): Promise<string>;
  /** GETs `url` and parses the body as JSON; a body that is not JSON is a SourceError (`invalid_body`). */
  getJson(url: URL, headers?: Readonly<Record<string, string>>): Promise<unknown>;
  /** Requests sent so far, retries included. */
  readonly requests: number;
  /** How many of those were retries. */
  readonly retries: number;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 500;
export const DEFAULT_MAX_WAIT_MS = 30_000;

/** `{base}{path}?{params}`: a base URL with or without a trailing slash, params URL-encoded, undefined ones left out. */
export function buildUrl(base: string, path: string, params: Readonly<Record<string, string | number | undefined>>): URL {
  const url = new URL(`${base.replace(/\/+$/, '')}${path}`);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}

/** A 2xx body that is not what the source's API sends. */
export function invalidBody(source: SourceName, detail: string, cause?: unknown): SourceError {
  return new SourceError(source, 'invalid_body', detail, { cause });
}

/** True for GitHub's primary (`x-ratelimit-remaining: 0`) and secondary (`retry-after`) rate-limit 403s. */
function isRateLimit(response: Response): boolean {
  if (response.status === 429) return true;
  if (response.status !== 403) return false;
  return response.headers.get('x-ratelimit-remaining') === '0' || response.headers.has('retry-after');
}

/** One failed attempt: what to report if it is the last, and whether another may follow. */
interface Failure {
  reason: SourceFailure;
  /** What happened, without the source name (the error adds it). */
  detail: string;
  retryable: boolean;
  status?: number;
  /** The wait the source asked for, ms. */
  waitMs?: number;
  cause?: unknown;
}

type Attempt = { ok: true; body: string } | { ok: false; failure: Failure };

/** The code of a Node network error (`ECONNREFUSED`, …), looked up through `cause`; never a message. */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const { code } = current as Error & { code?: unknown };
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}

/** Creates a client for one run of one source; its counters start at zero. */
export function createSourceHttp(options: SourceHttpOptions): SourceHttp {
  const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const { source, signal, timeoutMs } = options;
  let requests = 0;
  let retries = 0;

  function fail(failure: Failure, made: number): SourceError {
    return new SourceError(source, failure.reason, failure.detail, { upstreamStatus: failure.status, attempts: made, cause: failure.cause });
  }

  function aborted(made: number, cause?: unknown): SourceError {
    return new SourceError(source, 'aborted', 'stopped: the run ran out of time', { attempts: made, cause });
  }

  /** What a thrown fetch or body read means: the caller's abort, our timeout, or the network. */
  function thrown(error: unknown, timeout: AbortSignal): Failure {
    if (signal.aborted) return { reason: 'aborted', detail: 'stopped: the run ran out of time', retryable: false, cause: error };
    if (timeout.aborted) return { reason: 'timeout', detail: `no answer within ${String(timeoutMs)} ms`, retryable: true, cause: error };
    const code = networkCode(error);
    return { reason: 'network', detail: code === undefined ? 'network error' : `network error (${code})`, retryable: true, cause: error };
  }

  async function attempt(url: URL, headers: Record<string, string>): Promise<Attempt> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    try {
      const response = await send(url, { method: 'GET', headers, signal: combined, redirect: 'follow' });
      options.onResponse?.(response.headers, response.status);
      if (response.ok) return { ok: true, body: await response.text() };
      // Free the connection for the next attempt; the error body is not reported (it may echo the request).
      await response.body?.cancel().catch(() => undefined);
      const status = response.status;
      const rateLimited = isRateLimit(response);
      const waitMs = requestedWait(response.headers, rateLimited, now());
      const retryable = rateLimited || status >= 500;
      const failure: Failure = rateLimited
        ? { reason: 'rate_limited', detail: `rate limited (HTTP ${String(status)})`, retryable, status }
        : { reason: 'status', detail: `HTTP ${String(status)}`, retryable, status };
      if (waitMs !== undefined) failure.waitMs = waitMs;
      return { ok: false, failure };
    } catch (error) {
      return { ok: false, failure: thrown(error, timeout) };
    }
  }

  async function getText(url: URL, extra: Readonly<Record<string, string>> = {}): Promise<string> {
    const headers = { ...options.headers, ...extra };
    for (let made = 1; ; made++) {
      if (signal.aborted) throw aborted(made - 1, signal.reason);
      requests += 1;
      if (made > 1) retries += 1;
      const result = await attempt(url, headers);
      if (result.ok) return result.body;
      const { failure } = result;
      if (!failure.retryable) throw fail(failure, made);
      if (made >= attempts) throw fail({ ...failure, detail: `${failure.detail} after ${String(made)} attempts` }, made);
      const next = nextRetryWait({
        retry: made,
        baseMs: backoffMs,
        random,
        requestedMs: failure.waitMs,
        maxRequestedMs: maxWaitMs,
        remainingMs: options.remainingMs?.(),
      });
      const waitSeconds = Math.ceil(next.waitMs / 1000);
      if (!next.retry && next.reason === 'asked_too_long') {
        throw fail({ ...failure, detail: `${failure.detail}; asked to wait ${String(waitSeconds)} s, more than the ${String(Math.round(maxWaitMs / 1000))} s allowed` }, made);
      }
      if (!next.retry) {
        throw fail({ ...failure, detail: `${failure.detail}; a retry in ${String(waitSeconds)} s would outlast the run` }, made);
      }
      try {
        await sleep(next.waitMs, signal);
      } catch (error) {
        throw aborted(made, error);
      }
    }
  }

  async function getJson(url: URL, extra?: Readonly<Record<string, string>>): Promise<unknown> {
    const body = await getText(url, extra);
    try {
      return JSON.parse(body) as unknown;
    } catch (error) {
      throw invalidBody(source, 'the response is not JSON', error);
    }
  }

  return {
    getText,
    getJson,
    get requests() {
      return requests;
    },
    get retries() {
      return retries;
    },
  };
}
