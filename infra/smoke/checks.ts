// The end-to-end checks of `npm run smoke -- <base URL> [--admin-key …]`: what a deployed stage
// must answer, in the order a client meets it. Plain HTTP with fetch, nothing of ours imported,
// so the same checks judge a real deployment and `npm start` alike. Checks that need the admin key
// are skipped without it; those that create something (an API key) remove it again.
import { randomBytes } from 'node:crypto';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  ms: number;
}

export interface SmokeOptions {
  baseUrl: string;
  adminKey?: string;
  /** How long the admin job run may take to finish. Default 120 s (a cold janitor). */
  jobTimeoutMs?: number;
  /** Per request. Default 15 s (a cold start behind API Gateway). */
  requestTimeoutMs?: number;
}

/** A failed expectation; its message is the table's detail. */
class CheckFailed extends Error {}

function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

const SECURITY_HEADERS: Record<string, RegExp> = {
  'strict-transport-security': /max-age=\d+/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^DENY$/,
  'content-security-policy': /default-src 'none'/,
};

export async function runSmoke(options: SmokeOptions): Promise<CheckResult[]> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const results: CheckResult[] = [];

  async function call(method: string, path: string, init: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { 'user-agent': 'signal-harvester-smoke', ...init.headers };
    if (init.key !== undefined) headers['x-api-key'] = init.key;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  async function check(name: string, work: () => Promise<string>, needsAdmin = false): Promise<void> {
    const started = performance.now();
    if (needsAdmin && options.adminKey === undefined) {
      results.push({ name, status: 'skip', detail: 'needs --admin-key', ms: 0 });
      return;
    }
    try {
      const detail = await work();
      results.push({ name, status: 'pass', detail, ms: Math.round(performance.now() - started) });
    } catch (error) {
      const detail = error instanceof CheckFailed ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
      results.push({ name, status: 'fail', detail, ms: Math.round(performance.now() - started) });
    }
  }

  const probe = (path: string, accept: (body: Record<string, unknown>) => boolean) => async () => {
    const reply = await call('GET', path);
    const body = (reply.json ?? {}) as Record<string, unknown>;
    expectThat(reply.status === 200, `${String(reply.status)} ${reply.text.slice(0, 200)}`);
    expectThat(accept(body), `unexpected body ${reply.text.slice(0, 200)}`);
    return `200 ${String(body.status)}`;
  };
  await check('GET /health/live', probe('/health/live', (body) => body.status === 'healthy'));
  await check('GET /health/ready', probe('/health/ready', (body) => body.status === 'healthy' || body.status === 'degraded'));
  await check('GET /health/startup', probe('/health/startup', (body) => body.status !== 'unhealthy'));

  await check('security headers, correlation id', async () => {
    const correlationId = `smoke-${randomBytes(6).toString('hex')}`;
    const reply = await call('GET', '/health/live', { headers: { 'x-correlation-id': correlationId } });
    for (const [header, pattern] of Object.entries(SECURITY_HEADERS)) {
      expectThat(pattern.test(reply.headers.get(header) ?? ''), `${header}: ${reply.headers.get(header) ?? 'missing'}`);
    }
    expectThat(reply.headers.get('x-correlation-id') === correlationId, `x-correlation-id: ${reply.headers.get('x-correlation-id') ?? 'missing'}`);
    return `${String(Object.keys(SECURITY_HEADERS).length)} headers, id echoed`;
  });

  await check('unknown path is a JSON 404', async () => {
    const reply = await call('GET', `/v1/smoke-${randomBytes(4).toString('hex')}`);
    const error = (reply.json as { error?: { code?: string; requestId?: string } } | undefined)?.error;
    expectThat(reply.status === 404, `${String(reply.status)} ${reply.text.slice(0, 200)}`);
    expectThat(error?.code === 'not_found' && typeof error.requestId === 'string', `body ${reply.text.slice(0, 200)}`);
    return '404 not_found';
  });

  await check('GET /openapi.json', async () => {
    const reply = await call('GET', '/openapi.json');
    const document = (reply.json ?? {}) as { openapi?: string; paths?: Record<string, unknown> };
    expectThat(reply.status === 200, `${String(reply.status)}`);
    expectThat(typeof document.openapi === 'string' && document.openapi.startsWith('3.1'), `openapi: ${String(document.openapi)}`);
    expectThat(document.paths?.['/v1/signals'] !== undefined, 'no /v1/signals in paths');
    return `OpenAPI ${document.openapi}, ${String(Object.keys(document.paths ?? {}).length)} paths`;
  });

  let anonymousLimit: number | undefined;
  await check('anonymous GET /v1/signals, rate-limit headers', async () => {
    const reply = await call('GET', '/v1/signals?limit=1');
    expectThat(reply.status === 200, `${String(reply.status)} ${reply.text.slice(0, 200)}`);
    expectThat(Array.isArray((reply.json as { items?: unknown } | undefined)?.items), 'no items array');
    const limit = Number(reply.headers.get('x-ratelimit-limit'));
    const remaining = Number(reply.headers.get('x-ratelimit-remaining'));
    const reset = Number(reply.headers.get('x-ratelimit-reset'));
    expectThat(limit > 0 && remaining >= 0 && remaining < limit, `X-RateLimit-Limit ${String(limit)}, -Remaining ${String(remaining)}`);
    expectThat(reset * 1000 > Date.now() - 60_000, `X-RateLimit-Reset ${String(reset)}`);
    anonymousLimit = limit;
    return `limit ${String(limit)}, remaining ${String(remaining)}`;
  });

  await check(
    'keyed GET /v1/signals (a new api_key, then revoked)',
    async () => {
      const created = await call('POST', '/v1/admin/keys', { key: options.adminKey, body: { name: `smoke ${new Date().toISOString()}`, tier: 'api_key' } });
      const key = created.json as { id?: string; key?: string } | undefined;
      expectThat(created.status === 201 && typeof key?.key === 'string' && typeof key.id === 'string', `create key: ${String(created.status)} ${created.text.slice(0, 200)}`);
      try {
        const reply = await call('GET', '/v1/signals?limit=1', { key: key.key });
        const limit = Number(reply.headers.get('x-ratelimit-limit'));
        expectThat(reply.status === 200, `${String(reply.status)} ${reply.text.slice(0, 200)}`);
        expectThat(anonymousLimit === undefined || limit > anonymousLimit, `keyed limit ${String(limit)} not above anonymous ${String(anonymousLimit)}`);
        return `200, limit ${String(limit)}`;
      } finally {
        const revoked = await call('DELETE', `/v1/admin/keys/${key.id}`, { key: options.adminKey });
        expectThat(revoked.status === 200, `revoke key: ${String(revoked.status)}`);
      }
    },
    true,
  );

  await check(
    'admin job run (janitor) and its record',
    async () => {
      const started = await call('POST', '/v1/admin/jobs/janitor', { key: options.adminKey });
      const run = started.json as { run_id?: string; status?: string } | undefined;
      expectThat(started.status === 202 && typeof run?.run_id === 'string', `start: ${String(started.status)} ${started.text.slice(0, 200)}`);
      const deadline = Date.now() + (options.jobTimeoutMs ?? 120_000);
      let last = 'queued';
      while (Date.now() < deadline) {
        const page = await call('GET', '/v1/admin/jobs?job=janitor&limit=20', { key: options.adminKey });
        expectThat(page.status === 200, `list runs: ${String(page.status)}`);
        const record = (page.json as { items?: Array<{ id: string; status: string; error: string | null; duration_ms: number | null }> }).items?.find((item) => item.id === run.run_id);
        last = record?.status ?? 'missing';
        if (record !== undefined && record.status !== 'queued' && record.status !== 'running') {
          expectThat(record.status === 'succeeded' || record.status === 'skipped', `run ${run.run_id} ${record.status}: ${record.error ?? ''}`);
          return `run ${run.run_id} ${record.status} in ${String(record.duration_ms)} ms`;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      throw new CheckFailed(`run ${run.run_id} still ${last} after ${String((options.jobTimeoutMs ?? 120_000) / 1000)} s`);
    },
    true,
  );

  return results;
}

/** The pass/fail table, one row per check, and a closing count. */
export function formatTable(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((result) => result.name.length), 5);
  const rows = results.map((result) => `${result.status.toUpperCase().padEnd(6)}  ${result.name.padEnd(width)}  ${String(result.ms).padStart(6)} ms  ${result.detail}`);
  const count = (status: CheckStatus) => results.filter((result) => result.status === status).length;
  return [`${'RESULT'.padEnd(6)}  ${'CHECK'.padEnd(width)}  ${'TIME'.padStart(9)}  DETAIL`, ...rows, `${String(count('pass'))} passed, ${String(count('fail'))} failed, ${String(count('skip'))} skipped`].join('\n');
}
