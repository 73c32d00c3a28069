// A harvest source failed: the one error the source adapters throw (lib/harvest/sources/http.ts
// makes it; run-queries.ts records its message in the query's outcome). It never reaches a client.
import { AppError } from '../../errors.js';

/** Why a source request failed: the `reason` of a SourceError. */
export type SourceFailure =
  /** The source answered with an error status (a 4xx other than a rate limit, or 5xx after the retries). */
  | 'status'
  /** 429, or GitHub's 403 with `x-ratelimit-remaining: 0`, after the retries or with a wait past the budget. */
  | 'rate_limited'
  /** No answer (headers and body) within the per-attempt timeout, after the retries. */
  | 'timeout'
  /** The connection failed (refused, reset, DNS), after the retries. */
  | 'network'
  /** The caller's signal aborted (the job's time budget ran out): never retried. */
  | 'aborted'
  /** A 2xx whose body is not what the API returns (not JSON, broken XML, another shape). */
  | 'invalid_body'
  /** A 2xx whose body is the API's own error report (arXiv's `Error` entry, X's `errors`). */
  | 'api_error';

export interface SourceErrorOptions {
  /** The source's HTTP status, when it answered. */
  upstreamStatus?: number;
  /** Attempts made, the first included. Default 1. */
  attempts?: number;
  /** The underlying error (a fetch TypeError, a TimeoutError), kept for logs. */
  cause?: unknown;
}

/**
 * A harvest source failed: a request after its retries, or a body that is not what its API sends.
 * The message is `<source>: <what happened>` with the status when there is one, and never a URL (a
 * query string may carry credentials) or a header value. The adapters catch it per query and record
 * the message in that query's outcome; it never reaches a client.
 */
export class SourceError extends AppError {
  /** The adapter's name (`hackernews`, `github`, …). */
  readonly source: string;
  readonly reason: SourceFailure;
  readonly upstreamStatus: number | undefined;
  readonly attempts: number;

  constructor(source: string, reason: SourceFailure, detail: string, options: SourceErrorOptions = {}) {
    super(502, 'source_failed', `${source}: ${detail}`, { cause: options.cause });
    this.name = 'SourceError';
    this.source = source;
    this.reason = reason;
    this.upstreamStatus = options.upstreamStatus;
    this.attempts = options.attempts ?? 1;
  }
}
