// The request's deadline as routes see it (`c.var.deadline`): from the Lambda context's remaining
// time less the reserve, or the function timeout without one; its signal aborts with a 503 reason
// at the deadline (so a route that waits on it answers 503 in our shape), is made only when read,
// and its timer is cleared once the request is answered.
import type { APIGatewayProxyEventV2, Context as LambdaContext } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServiceUnavailableError } from '../../../../../lib/errors.js';
import { createApp } from '../../../../../lib/http/app.js';
import type { ErrorBody } from '../../../../../lib/http/errors.js';
import { httpFunction, type RequestDeadline } from '../../../../../lib/http/index.js';
import { DEFAULT_RESERVE_MS, DEFAULT_TIMEOUT_MS, RequestDeadline as Deadline } from '../../../../../lib/http/middleware/deadline.js';
import { httpEvent, lambdaContext } from '../../../../support/http-event.js';

function getEvent(path: string): APIGatewayProxyEventV2 {
  return httpEvent('GET', path);
}

function context(timeoutMs: number): LambdaContext {
  return lambdaContext('deadline-test', timeoutMs);
}

/** Keeps the access and error log lines out of the test output. */
function silenceLogs(): void {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the deadline middleware', () => {
  it('counts from the Lambda context, less the reserve', async () => {
    // Arrange: a 10 s function, as serverless.yml configures the APIs
    let seen: number | undefined;
    const handler = httpFunction('deadline-test', (app) => {
      app.get('/t', (c) => {
        seen = c.var.deadline.remainingMs();
        return c.json({ ok: true });
      });
    });
    silenceLogs();

    // Act
    const result = await handler(getEvent('/t'), context(10_000));

    // Assess: 10 s less the 500 ms reserve, give or take the time the request took
    expect(result.statusCode).toBe(200);
    expect(seen).toBeLessThanOrEqual(10_000 - DEFAULT_RESERVE_MS);
    expect(seen).toBeGreaterThan(10_000 - DEFAULT_RESERVE_MS - 1_000);
  });

  it('uses the function timeout when no Lambda context is present', async () => {
    // Arrange
    const app = createApp({ name: 'deadline-test' });
    let seen: number | undefined;
    app.get('/t', (c) => {
      seen = c.get('deadline').remainingMs();
      return c.json({ ok: true });
    });
    silenceLogs();

    // Act
    const response = await app.request('/t');

    // Assess
    expect(response.status).toBe(200);
    expect(seen).toBeLessThanOrEqual(DEFAULT_TIMEOUT_MS - DEFAULT_RESERVE_MS);
    expect(seen).toBeGreaterThan(DEFAULT_TIMEOUT_MS - DEFAULT_RESERVE_MS - 1_000);
  });

  it('aborts a route still waiting at the deadline, answered as a 503 in our shape', async () => {
    // Arrange: 200 ms left, so the signal aborts after 100 ms (at most half is kept back)
    const handler = httpFunction('deadline-test', (app) => {
      app.get('/slow', async (c) => {
        const { signal } = c.var.deadline;
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
        return c.json({ never: true });
      });
    });
    silenceLogs();
    const started = Date.now();

    // Act
    const result = await handler(getEvent('/slow'), context(200));

    // Assess: answered before the Lambda's deadline, with the error shape and no detail
    const elapsed = Date.now() - started;
    expect(result.statusCode).toBe(503);
    expect((JSON.parse(result.body ?? '') as ErrorBody).error).toMatchObject({ code: 'service_unavailable', message: 'service unavailable' });
    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(200);
  });

  it('clears the timer of a signal once the request is answered', async () => {
    // Arrange: 100 ms left, so the signal would abort after 50 ms; the route answers at once
    let kept: RequestDeadline | undefined;
    const handler = httpFunction('deadline-test', (app) => {
      app.get('/t', (c) => {
        kept = c.var.deadline;
        void kept.signal;
        return c.json({ ok: true });
      });
    });
    silenceLogs();

    // Act: answer, then wait past the deadline
    const result = await handler(getEvent('/t'), context(100));
    await new Promise((resolve) => setTimeout(resolve, 120));

    // Assess: the request's end disposed of the deadline, so its signal never fired
    expect(result.statusCode).toBe(200);
    expect(kept?.signal.aborted).toBe(false);
  });
});

describe('RequestDeadline', () => {
  it('aborts at once, with a 503 reason, when the deadline has passed', () => {
    // Arrange
    const deadline = new Deadline(1_000, () => 2_000);

    // Act
    const { signal } = deadline;

    // Assess
    expect(deadline.remainingMs()).toBe(0);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(ServiceUnavailableError);
  });

  it('gives the same signal on every read and never aborts once disposed', async () => {
    // Arrange
    const deadline = new Deadline(Date.now() + 30);
    const signal = deadline.signal;

    // Act
    deadline.dispose();
    await new Promise((resolve) => setTimeout(resolve, 60));

    // Assess
    expect(deadline.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
  });
});
