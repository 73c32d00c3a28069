// One delivery request, for any channel that POSTs JSON to a URL (the signed webhook here; a Slack
// incoming webhook reuses it with its own target). What a receiver can do to us is bounded:
// - time: one budget (`timeoutMs`) from connect to the end of the response, abortable;
// - redirects: never followed — a 3xx is a failed attempt (following one would let an endpoint
//   that passed the address check send us to one that did not);
// - the body: at most `maxResponseBytes` read; a larger one closes the socket, so a 10 MB answer
//   costs a few kilobytes;
// - addresses: with `publicOnly`, the socket's own DNS lookup refuses non-public addresses
//   (address-guard.ts), so a rebinding name is caught at connect.
// Usage: `const agents = createSendAgents(); … await send(target, body, messageId, { agents, … }); … agents.destroy()`.
import http from 'node:http';
import https from 'node:https';
import { errorText } from '../../log/error-text.js';
import { publicOnlyLookup } from './address-guard.js';

/** Where a delivery goes: a channel builds one per endpoint. */
export interface SendTarget {
  /**
   * Deliveries with the same key share one lane in a sweep: one time budget, a few requests at a
   * time, and a failure that means "endpoint down" stops the lane until the next sweep.
   */
  readonly key: string;
  /** http(s) URL to POST to. */
  readonly url: string;
  /** Headers for one request (e.g. the Standard Webhooks signature, made at send time). */
  headers(request: { body: string; messageId: string; now: Date }): Record<string, string>;
}

export interface SendOptions {
  agents: SendAgents;
  /** Budget of the whole request, ms. */
  timeoutMs: number;
  /** Refuse non-public addresses at connect (every stage but local). */
  publicOnly: boolean;
  /** Response bytes read at most; default 4 KiB. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

export type SendResult =
  | { ok: true; status: number; durationMs: number }
  | {
      ok: false;
      /** The HTTP status, when one came back. */
      status?: number;
      /** Short, for last_error: never the response body. */
      error: string;
      durationMs: number;
      /** The endpoint itself is unreachable, slow or overloaded (timeout, connect error, 5xx, 429): its other deliveries would fail alike. */
      endpointDown: boolean;
    };

/** Keep-alive agents for one sweep (connections reused across its requests), destroyed at its end. */
export interface SendAgents {
  http: http.Agent;
  https: https.Agent;
  destroy(): void;
}

const DEFAULT_MAX_RESPONSE_BYTES = 4096;
const USER_AGENT = 'signal-harvester-webhooks/1';

/**
 * Agents for one sweep. A sweep's own, not module-level: a Lambda container frozen between sweeps
 * would otherwise hand the next one sockets the peer closed long ago.
 */
export function createSendAgents(maxSocketsPerHost = 8): SendAgents {
  const options = { keepAlive: true, maxSockets: maxSocketsPerHost, scheduling: 'lifo' as const };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  return { ...agents, destroy: () => (agents.http.destroy(), agents.https.destroy()) };
}

function failure(error: string, started: number, endpointDown: boolean, status?: number): SendResult {
  return { ok: false, error, durationMs: Date.now() - started, endpointDown, ...(status === undefined ? {} : { status }) };
}

/** POSTs `body` (JSON) to the target; never throws. */
export function send(target: SendTarget, body: string, messageId: string, options: SendOptions): Promise<SendResult> {
  const started = Date.now();
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return Promise.resolve(failure('invalid URL', started, true));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return Promise.resolve(failure('unsupported scheme', started, true));
  const secure = url.protocol === 'https:';
  const cap = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': USER_AGENT,
    ...target.headers({ body, messageId, now: new Date() }),
  };

  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const settle = (result: SendResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const request = (secure ? https : http).request(url, {
      method: 'POST',
      headers,
      agent: secure ? options.agents.https : options.agents.http,
      ...(options.publicOnly ? { lookup: publicOnlyLookup } : {}),
    });
    const timer = setTimeout(() => {
      settle(failure(`timed out after ${String(options.timeoutMs)} ms`, started, true));
      request.destroy();
    }, options.timeoutMs);
    const onAbort = (): void => {
      settle(failure('aborted (the sweep ran out of time)', started, true));
      request.destroy();
    };
    if (options.signal?.aborted === true) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('error', (error: NodeJS.ErrnoException) => {
      const forbidden = error.code === 'EFORBIDDENADDRESS';
      settle(failure(forbidden ? 'refused: the endpoint resolves to a non-public address' : `request failed: ${errorText(error)}`, started, true));
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      const done = (): void => {
        if (status >= 200 && status < 300) settle({ ok: true, status, durationMs: Date.now() - started });
        else if (status >= 300 && status < 400) settle(failure(`HTTP ${String(status)}: redirects are not followed`, started, false, status));
        else settle(failure(`HTTP ${String(status)}`, started, status >= 500 || status === 429 || status === 408, status));
      };
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        // Past the cap: the status is all we need; closing the socket stops the transfer.
        if (read > cap) {
          done();
          response.destroy();
        }
      });
      response.on('end', done);
      response.on('error', () => {
        // A body cut off after the status arrived: the status still counts.
        done();
      });
      response.on('close', done);
    });
    request.end(body);
  });
}
