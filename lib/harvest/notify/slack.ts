// Sends a run's new important signals to a Slack incoming webhook: one message per run, whatever
// the number of signals (slack-message.ts), so a busy hour is one notification, not fifty. At most
// once: the caller claims the signals before sending, and an attempt is repeated only when Slack
// surely did not take it (it answered 429 or 5xx, or the connection was never made); a request
// that may have reached Slack (timed out, connection lost mid-way) is never repeated and reports
// `outcome: 'unknown'`, so the caller keeps its claim. Up to 3 attempts with doubling jittered backoff
// (the schedule of ../retry.ts, shared with the source adapters),
// honouring Retry-After on a 429, within one time budget; it never throws. The webhook URL is a
// credential: it is never logged and never appears in `error`.
import { log } from '../../log/index.js';
import { parseRetryAfter } from '../retry-after.js';
import { nextRetryWait, realSleep, type Sleep } from '../retry.js';
import { buildSlackMessage, type SlackSignal } from './slack-message.js';

export interface SlackNotifyOptions {
  /** SLACK_WEBHOOK_URL. */
  webhookUrl: string;
  /** NOTIFY_MAX_PER_RUN: signals in the message at most (never more than 49, Slack's block limit). Default 20. */
  maxSignals?: number;
  /** Budget of the whole send, every attempt and wait included, ms. Default 10,000. */
  timeBudgetMs?: number;
  /** Attempts at most. Default 3. */
  maxAttempts?: number;
  /** Backoff step after the first failed attempt, doubled after each further one, ms (the wait is its upper half, jittered). Default 500. */
  backoffMs?: number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** The run's signal: aborting it ends the send (a wait included) as a failure. */
  signal?: AbortSignal;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Waits `ms`, rejecting when `signal` aborts. Default: node:timers/promises' setTimeout. */
  sleep?: Sleep;
  /** Clock, ms (reads Retry-After dates, and whether a wait still fits the budget). Default `Date.now`. */
  now?: () => number;
}

export interface SlackResult {
  /** Slack accepted the message. */
  sent: boolean;
  /**
   * `sent`; `not_sent`: Slack surely did not take it (release the claim, the next run sends it);
   * `unknown`: it may have (keep the claim: at most once).
   */
  outcome: 'sent' | 'not_sent' | 'unknown';
  /** Requests made (0 when there was nothing to send). */
  attempts: number;
  /** The signals the message carried, whether or not it was sent: mark these notified when `sent`. */
  signalIds: string[];
  /** Why it was not sent (no URL, no secret in it). */
  error?: string;
  /** The last HTTP status Slack answered with, if any. */
  status?: number;
}

export const DEFAULT_MAX_SIGNALS = 20;
export const DEFAULT_TIME_BUDGET_MS = 10_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 500;

type Attempt =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; error: string; status?: number; waitMs?: number; unknown?: boolean };

/** Failures where no request left this process: the connection was never made. */
const NEVER_CONNECTED = /^network error: (ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/;

/** The error code of a failed fetch (`ECONNREFUSED`), without its message (which may name the host). */
function networkCode(error: unknown): string {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' ? `network error: ${code}` : 'network error';
}

/**
 * Posts one message for `signals` (already selected and ordered; the first `maxSignals` are taken).
 * Nothing to send = no request. Never rejects.
 */
export async function notifySlack(signals: readonly SlackSignal[], options: SlackNotifyOptions): Promise<SlackResult> {
  try {
    return await deliver(signals, options);
  } catch (error) {
    // Only a broken input or an injected fetch or sleep that throws synchronously gets here.
    const name = error instanceof Error ? error.name : 'unexpected error';
    log.warn('slack notification not sent', { attempts: 0, error: name });
    return { sent: false, outcome: 'not_sent', attempts: 0, signalIds: [], error: name };
  }
}

async function deliver(signals: readonly SlackSignal[], options: SlackNotifyOptions): Promise<SlackResult> {
  const { message, signalIds } = buildSlackMessage(signals, options.maxSignals ?? DEFAULT_MAX_SIGNALS);
  if (signalIds.length === 0) return { sent: false, outcome: 'not_sent', attempts: 0, signalIds, error: 'nothing to send' };
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const budgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const deadline = now() + budgetMs;
  const budget = AbortSignal.timeout(budgetMs);
  const signal = options.signal === undefined ? budget : AbortSignal.any([options.signal, budget]);
  const body = JSON.stringify(message);

  const stopped = (): string | undefined => {
    if (options.signal?.aborted === true) return 'aborted by the run';
    return budget.aborted ? `time budget of ${String(budgetMs)} ms exhausted` : undefined;
  };

  async function attempt(): Promise<Attempt> {
    try {
      const response = await send(options.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
      if (response.ok) {
        // Accepted once the status says so: a body cut short now must not make us send it twice.
        await response.text().catch(() => '');
        return { ok: true, status: response.status };
      }
      // A short error token: `invalid_payload`, `no_service`, `channel_is_archived`, `rate_limited`.
      const answer = (await response.text()).slice(0, 100);
      const retry = response.status === 429 || response.status >= 500;
      const error = `HTTP ${String(response.status)}${answer === '' ? '' : ` ${answer}`}`;
      return { ok: false, retry, error, status: response.status, waitMs: parseRetryAfter(response.headers.get('retry-after'), now()) };
    } catch (error) {
      const reason = stopped();
      const code = networkCode(error);
      if (reason === undefined && NEVER_CONNECTED.test(code)) return { ok: false, retry: true, error: code };
      // The request may have reached Slack: sending it again could post the message twice.
      return { ok: false, retry: false, unknown: true, error: reason ?? code };
    }
  }

  let attempts = 0;
  let failure: Extract<Attempt, { ok: false }> = { ok: false, retry: false, error: 'not sent' };
  while (attempts < maxAttempts) {
    attempts += 1;
    const outcome = await attempt();
    if (outcome.ok) return { sent: true, outcome: 'sent', attempts, signalIds, status: outcome.status };
    failure = outcome;
    if (!outcome.retry || attempts >= maxAttempts) break;
    const next = nextRetryWait({ retry: attempts, baseMs: backoffMs, random, requestedMs: outcome.waitMs, remainingMs: deadline - now() });
    if (!next.retry) {
      failure = { ...outcome, error: `${outcome.error}; a retry in ${String(next.waitMs)} ms would exceed the time budget` };
      break;
    }
    try {
      await sleep(next.waitMs, signal);
    } catch {
      failure = { ...outcome, error: stopped() ?? 'wait interrupted' };
      break;
    }
  }
  const status = failure.status === undefined ? {} : { status: failure.status };
  const outcome = failure.unknown === true ? 'unknown' : 'not_sent';
  log.warn(outcome === 'unknown' ? 'slack notification may not have been sent; not repeated (at most once)' : 'slack notification not sent', {
    attempts,
    signals: signalIds.length,
    error: failure.error,
    outcome,
    ...status,
  });
  return { sent: false, outcome, attempts, signalIds, error: failure.error, ...status };
}
