// createClassifier and the LLM classifier's bookkeeping with a stand-in fetch: which classifier a
// configuration gets, the per-run budget, the circuit that stops asking a failing LLM, the run's
// abort signal, the concurrency limit, and logs that carry neither key nor prompt. The real HTTP
// exchange is in test/integration/lib/harvest/classify/llm.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClassifier, type ClassifierConfig } from '../../../../../lib/harvest/classify/index.js';
import { createLlmClassifier, type LlmClassifierOptions } from '../../../../../lib/harvest/classify/llm.js';
import type { HarvestedItem } from '../../../../../lib/harvest/types.js';
import { resetLog } from '../../../../../lib/log/index.js';
import { captureOutput } from '../../../../support/capture-log.js';

const SECRET = 'sk-test-secret-key-0123456789';

function item(title: string, overrides: Partial<HarvestedItem> = {}): HarvestedItem {
  return {
    source: 'hackernews',
    sourceId: title,
    kind: 'story',
    url: 'https://example.com/',
    title,
    text: 'the confidential body text',
    author: null,
    publishedAt: new Date('2026-01-30T00:00:00Z'),
    engagement: {},
    tags: [],
    ...overrides,
  };
}

function answer(content: object, status = 200): Response {
  return new Response(JSON.stringify({ choices: [{ message: { role: 'assistant', content: JSON.stringify(content) } }] }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const PRAISE = { category: 'praise', sentiment: 'positive', urgency: 0 };

/** A fetch that answers with `respond` and records every call. */
function fakeFetch(respond: (call: number) => Promise<Response> | Response = () => answer(PRAISE)) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = vi.fn((url: string | URL, init?: RequestInit) => {
    calls.push({ url: url.toString(), init: init ?? {} });
    return Promise.resolve(respond(calls.length));
  });
  return { fetch: fetchFn as unknown as typeof fetch, calls };
}

function llm(options: Partial<LlmClassifierOptions> & Pick<LlmClassifierOptions, 'fetch'>) {
  return createLlmClassifier({ url: 'http://llm.test/v1', apiKey: SECRET, model: 'tiny', budget: 10, timeoutMs: 1000, ...options });
}

const BASE_CONFIG: ClassifierConfig = { LLM_API_URL: undefined, LLM_API_KEY: undefined, LLM_MODEL: 'gpt-4o-mini', LLM_BUDGET_PER_RUN: 50, LLM_TIMEOUT_MS: 8000 };

beforeEach(() => {
  vi.stubEnv('LOG_LEVEL', 'info');
  resetLog();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetLog();
});

describe('createClassifier', () => {
  it('classifies by keywords only, with no request, when LLM_API_URL is unset', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch();
    const classifier = createClassifier(BASE_CONFIG, { fetch });

    // Act
    const result = await classifier.classify(item('Major outage at Acme'));

    // Assess
    expect(result).toMatchObject({ category: 'outage', by: 'keyword' });
    expect(calls).toHaveLength(0);
    expect(classifier.stats()).toMatchObject({ items: 1, keyword: 1, llm: 0, llmCalls: 0 });
  });

  it('asks the LLM at LLM_API_URL with LLM_MODEL and the key when it is set', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch();
    const classifier = createClassifier({ ...BASE_CONFIG, LLM_API_URL: 'http://llm.test/v1', LLM_API_KEY: SECRET, LLM_MODEL: 'tiny' }, { fetch });

    // Act
    const result = await classifier.classify(item('Major outage at Acme'));

    // Assess
    expect(result).toEqual({ ...PRAISE, by: 'llm' });
    expect(calls[0]?.url).toBe('http://llm.test/v1/chat/completions');
    const body = calls[0]?.init.body;
    expect(JSON.parse(typeof body === 'string' ? body : '{}')).toMatchObject({ model: 'tiny', response_format: { type: 'json_object' } });
    expect(new Headers(calls[0]?.init.headers).get('authorization')).toBe(`Bearer ${SECRET}`);
  });

  it('sends no Authorization header without a key (a local server)', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch();
    const classifier = createClassifier({ ...BASE_CONFIG, LLM_API_URL: 'http://127.0.0.1:8080/v1' }, { fetch });

    // Act
    await classifier.classify(item('anything'));

    // Assess
    expect(new Headers(calls[0]?.init.headers).has('authorization')).toBe(false);
  });
});

describe('the LLM classifier', () => {
  it('spends its budget on the first items and classifies the rest by keywords', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch();
    const classifier = llm({ fetch, budget: 2 });

    // Act
    const results = await Promise.all(['a', 'b', 'Outage c', 'd'].map((title) => classifier.classify(item(title))));

    // Assess
    expect(results.map((result) => result.by)).toEqual(['llm', 'llm', 'keyword', 'keyword']);
    expect(results[2]?.category).toBe('outage');
    expect(calls).toHaveLength(2);
    expect(classifier.stats()).toMatchObject({ items: 4, llm: 2, keyword: 2, llmCalls: 2, fallbacks: { budget: 2 } });
  });

  it('stops asking for the rest of the run after failures in a row (circuit open)', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch(() => new Response('overloaded', { status: 503 }));
    const classifier = llm({ fetch, maxConsecutiveFailures: 3 });

    // Act
    for (const title of ['a', 'b', 'c', 'd', 'e']) await classifier.classify(item(title));

    // Assess
    expect(calls).toHaveLength(3);
    expect(classifier.stats()).toMatchObject({ items: 5, llm: 0, keyword: 5, llmCalls: 3, fallbacks: { http: 3, circuit_open: 2 } });
  });

  it('resets the failure count after a good answer', async () => {
    // Prepare: fail, fail, answer, fail, fail, answer
    const { fetch, calls } = fakeFetch((call) => (call % 3 === 0 ? answer(PRAISE) : new Response('', { status: 500 })));
    const classifier = llm({ fetch, maxConsecutiveFailures: 3 });

    // Act
    for (const title of ['a', 'b', 'c', 'd', 'e', 'f']) await classifier.classify(item(title));

    // Assess
    expect(calls).toHaveLength(6);
    expect(classifier.stats()).toMatchObject({ llm: 2, fallbacks: { http: 4, circuit_open: 0 } });
  });

  it('asks nothing once the run’s signal has aborted', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch();
    const run = new AbortController();
    const classifier = llm({ fetch, signal: run.signal });
    run.abort();

    // Act
    const result = await classifier.classify(item('Outage'));

    // Assess
    expect(result.by).toBe('keyword');
    expect(calls).toHaveLength(0);
    expect(classifier.stats().fallbacks.aborted).toBe(1);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    // Prepare: every answer waits until released
    let inFlight = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const { fetch } = fakeFetch(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((resolve) => releases.push(resolve));
      inFlight -= 1;
      return answer(PRAISE);
    });
    const classifier = llm({ fetch, concurrency: 2 });

    // Act
    const pending = Promise.all(['a', 'b', 'c', 'd', 'e'].map((title) => classifier.classify(item(title))));
    while (classifier.stats().llm < 5) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    const results = await pending;

    // Assess
    expect(peak).toBe(2);
    expect(results.every((result) => result.by === 'llm')).toBe(true);
  });

  it('logs one line per failure reason, without the key, the prompt or the item', async () => {
    // Prepare
    const output = captureOutput();
    const { fetch } = fakeFetch(() => new Response(`bad key ${SECRET}`, { status: 401 }));
    const classifier = llm({ fetch, budget: 4, maxConsecutiveFailures: 10 });

    // Act
    for (const title of ['a', 'b', 'c', 'd', 'e']) await classifier.classify(item(`secret title ${title}`));

    // Assess
    const lines = output().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"reason":"http"');
    expect(lines[0]).toContain('"status":401');
    expect(lines[1]).toContain('"reason":"budget"');
    const written = output();
    for (const secret of [SECRET, 'secret title', 'confidential body', 'You classify']) expect(written).not.toContain(secret);
  });
});
