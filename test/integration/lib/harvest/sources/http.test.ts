// The source request helper against a real local HTTP server: which answers are retried and which
// are final, how long it waits (backoff, Retry-After, rate-limit reset), that a slow source costs at
// most three timeouts, and that what it throws names the source and status and nothing secret.
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../../../lib/harvest/sources/errors.js';
import { createSourceHttp, type SourceHttpOptions } from '../../../../../lib/harvest/sources/http.js';
import { inTurn, json, recordingSleep, unusedPort, useSourceServer } from '../../../../support/source-server.js';

const server = useSourceServer();

function client(overrides: Partial<SourceHttpOptions> = {}) {
  const recorded = recordingSleep();
  const http = createSourceHttp({
    source: 'hackernews',
    timeoutMs: 2000,
    signal: new AbortController().signal,
    sleep: recorded.sleep,
    random: () => 0.5,
    ...overrides,
  });
  return { http, waits: recorded.waits };
}

function url(path = '/search'): URL {
  return new URL(`${server.url}${path}`);
}

/** The SourceError a promise rejects with (fails the test if it resolves or throws something else). */
async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('createSourceHttp', () => {
  it('retries a 500 after a jittered backoff and returns the answer that follows', async () => {
    server.respond(inTurn({ status: 500 }, json({ ok: true })));
    const { http, waits } = client();

    const body = await http.getJson(url());

    expect(body).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(http.requests).toBe(2);
    expect(http.retries).toBe(1);
    // 500 ms base: half fixed, half random (0.5 here).
    expect(waits).toEqual([375]);
  });

  it('doubles the backoff per retry and gives up after three attempts with the status in the message', async () => {
    server.respond(() => ({ status: 503 }));
    const { http, waits } = client({ random: () => 0 });

    const error = await failure(http.getText(url()));

    expect(error.message).toBe('hackernews: HTTP 503 after 3 attempts');
    expect(error).toMatchObject({ reason: 'status', upstreamStatus: 503, attempts: 3, source: 'hackernews' });
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([250, 500]);
    expect({ requests: http.requests, retries: http.retries }).toEqual({ requests: 3, retries: 2 });
  });

  it('waits exactly what a 429 Retry-After asks, then retries', async () => {
    server.respond(inTurn({ status: 429, headers: { 'retry-after': '1' } }, json({ hits: [] })));
    const { http, waits } = client();

    await expect(http.getJson(url())).resolves.toEqual({ hits: [] });

    expect(waits).toEqual([1000]);
    expect(server.requests).toHaveLength(2);
  });

  it('reads a Retry-After HTTP date against the clock', async () => {
    const now = Date.parse('2025-01-06T10:00:00Z');
    server.respond(inTurn({ status: 503, headers: { 'retry-after': 'Mon, 06 Jan 2025 10:00:04 GMT' } }, json({})));
    const { http, waits } = client({ now: () => now });

    await http.getJson(url());

    expect(waits).toEqual([4000]);
  });

  it('gives up at once when the source asks for a wait longer than allowed', async () => {
    server.respond(() => ({ status: 429, headers: { 'retry-after': '120' } }));
    const { http, waits } = client();

    const error = await failure(http.getText(url()));

    expect(error.reason).toBe('rate_limited');
    expect(error.message).toBe('hackernews: rate limited (HTTP 429); asked to wait 120 s, more than the 30 s allowed');
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('never waits past the caller’s remaining time', async () => {
    server.respond(() => ({ status: 429, headers: { 'retry-after': '5' } }));
    const { http, waits } = client({ remainingMs: () => 4000 });

    const error = await failure(http.getText(url()));

    expect(error.message).toBe('hackernews: rate limited (HTTP 429); a retry in 5 s would outlast the run');
    expect(waits).toEqual([]);
  });

  it('treats GitHub’s 403 with x-ratelimit-remaining: 0 as a rate limit and waits for the reset', async () => {
    const now = 1_736_150_000_000;
    server.respond(
      inTurn(
        { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 7) } },
        json({ items: [] }),
      ),
    );
    const { http, waits } = client({ source: 'github', now: () => now });

    await expect(http.getJson(url())).resolves.toEqual({ items: [] });

    expect(waits).toEqual([7000]);
  });

  it('gives up on a GitHub rate limit whose reset is past the budget', async () => {
    const now = 1_736_150_000_000;
    server.respond(() => ({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 1800) } }));
    const { http } = client({ source: 'github', now: () => now });

    const error = await failure(http.getText(url()));

    expect(error.message).toBe('github: rate limited (HTTP 403); asked to wait 1800 s, more than the 30 s allowed');
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a plain 403 or 404', async () => {
    for (const status of [403, 404]) {
      server.requests.length = 0;
      server.respond(() => ({ status, body: 'nope' }));
      const { http } = client({ source: 'github' });

      const error = await failure(http.getText(url()));

      expect(error.message).toBe(`github: HTTP ${String(status)}`);
      expect(error.attempts).toBe(1);
      expect(server.requests).toHaveLength(1);
    }
  });

  it('times out a slow source on every attempt and fails within a bounded time', async () => {
    server.respond(() => ({ delayMs: 2000, ...json({ late: true }) }));
    const { http } = client({ timeoutMs: 100 });
    const started = performance.now();

    const error = await failure(http.getJson(url()));

    const elapsed = performance.now() - started;
    expect(error.reason).toBe('timeout');
    expect(error.message).toBe('hackernews: no answer within 100 ms after 3 attempts');
    expect(server.requests).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
  });

  it('reports a body that is not JSON as invalid, without retrying', async () => {
    server.respond(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Our servers are busy</body></html>' }));
    const { http } = client();

    const error = await failure(http.getJson(url()));

    expect(error.reason).toBe('invalid_body');
    expect(error.message).toBe('hackernews: the response is not JSON');
    expect(server.requests).toHaveLength(1);
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    server.respond(() => ({ delayMs: 1000, ...json({}) }));
    const controller = new AbortController();
    const { http } = client({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);

    const error = await failure(http.getJson(url()));

    expect(error.reason).toBe('aborted');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a refused connection and names the error code', async () => {
    const port = await unusedPort();
    const { http, waits } = client();

    const error = await failure(http.getText(new URL(`http://127.0.0.1:${String(port)}/`)));

    expect(error.reason).toBe('network');
    expect(error.message).toBe('hackernews: network error (ECONNREFUSED) after 3 attempts');
    expect(waits).toHaveLength(2);
  });

  it('sends its headers and keeps the token and the URL out of the error', async () => {
    server.respond(() => ({ status: 401 }));
    const { http } = client({ source: 'x', headers: { authorization: 'Bearer s3cr3t-token', 'user-agent': 'test-agent/1' } });

    const error = await failure(http.getText(url('/2/tweets/search/recent?query=llm&api_key=s3cr3t-token')));

    expect(server.requests[0]?.headers).toMatchObject({ authorization: 'Bearer s3cr3t-token', 'user-agent': 'test-agent/1' });
    expect(error.message).toBe('x: HTTP 401');
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).not.toContain(server.url);
  });
});
