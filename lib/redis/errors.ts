// One class per way an Upstash call fails. The limiter tells them apart: a command error is a bug
// or a missing script (NOSCRIPT, handled by the store), a request error is Upstash being
// unreachable or refusing us, and an aborted call rejects with its signal's own reason.

/** Redis refused the command (Upstash answers HTTP 400). The message is Redis's own, e.g. `NOSCRIPT …`. */
export class UpstashError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UpstashError';
  }
}

/**
 * The request got no command answer: a network failure, a body that is not Upstash's JSON, or an
 * HTTP status other than 200 and 400 (401 for a wrong token, 429 over a plan limit, 5xx).
 */
export class UpstashRequestError extends Error {
  /** The HTTP status, when a response arrived. */
  readonly status: number | undefined;

  constructor(message: string, options?: ErrorOptions & { status?: number }) {
    super(message, options);
    this.name = 'UpstashRequestError';
    this.status = options?.status;
  }
}
