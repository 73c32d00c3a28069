// The LLM classifier against a real HTTP server on 127.0.0.1 that speaks the chat-completions
// format: what a request carries (path, model, response_format, Bearer key, the item as data), a
// good answer, and every way an answer can fail — HTTP 500, a stall past the timeout, a body that
// is not JSON, values out of range, a spent budget, a refused connection, the run ending — each
// one a keyword classification with its reason counted.
import { describe, expect, it } from 'vitest';
import { createClassifier, createLlmClassifier, type ClassifierConfig } from '../../../../../lib/harvest/classify/index.js';
import type { HarvestedItem } from '../../../../../lib/harvest/types.js';
import { unusedPort, useSourceServer, type Responder } from '../../../../support/source-server.js';

const KEY = 'sk-integration-test-key';

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

function completion(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'tiny',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };

const answers = {
  ok: (content: string): Responder => () => ({ status: 200, headers: JSON_TYPE, body: completion(content) }),
  status: (status: number): Responder => () => ({ status, headers: JSON_TYPE, body: '{"error":{"message":"boom"}}' }),
  raw: (body: string): Responder => () => ({ status: 200, headers: JSON_TYPE, body }),
  /** Headers, then nothing: the body never completes. */
  stall: (): Responder => () => ({ status: 200, headers: JSON_TYPE, body: '{"choices":', stall: true }),
};

const server = useSourceServer(answers.ok('{"category":"security","sentiment":"negative","urgency":4}'));

/** The requests the server received, in order. */
function received(): Received[] {
  return server.requests.map((request) => {
    const query = request.query.toString();
    return {
      method: request.method,
      url: query === '' ? request.path : `${request.path}?${query}`,
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body: JSON.parse(request.body) as Record<string, unknown>,
    };
  });
}

function item(title: string, overrides: Partial<HarvestedItem> = {}): HarvestedItem {
  return {
    source: 'reddit',
    sourceId: title,
    kind: 'post',
    url: 'https://reddit.com/r/x/1',
    title,
    text: 'Some text',
    author: 'someone',
    publishedAt: new Date('2026-01-30T00:00:00Z'),
    engagement: { score: 10, comments: 2 },
    tags: [],
    ...overrides,
  };
}

function config(overrides: Partial<ClassifierConfig> = {}): ClassifierConfig {
  return { LLM_API_URL: `${server.url}/v1`, LLM_API_KEY: KEY, LLM_MODEL: 'tiny', LLM_BUDGET_PER_RUN: 10, LLM_TIMEOUT_MS: 2000, ...overrides };
}

describe('LLM classification over HTTP', () => {
  it('classifies with the answer of a good completion', async () => {
    // Prepare
    const classifier = createClassifier(config());

    // Act
    const result = await classifier.classify(item('Praise for the team'));

    // Assess: the LLM's answer, not the keywords' (which would say praise)
    expect(result).toEqual({ category: 'security', sentiment: 'negative', urgency: 4, by: 'llm' });
    expect(classifier.stats()).toMatchObject({ items: 1, llm: 1, keyword: 0, llmCalls: 1 });
  });

  it('posts to {LLM_API_URL}/chat/completions with the model, JSON mode, the key and the item as data', async () => {
    // Prepare
    const classifier = createClassifier(config());

    // Act
    await classifier.classify(item('Is the API down?', { text: 'x'.repeat(3000) }));

    // Assess
    const [request] = received();
    expect(request).toMatchObject({ method: 'POST', url: '/v1/chat/completions', authorization: `Bearer ${KEY}`, contentType: 'application/json' });
    expect(request?.body).toMatchObject({ model: 'tiny', response_format: { type: 'json_object' } });
    const messages = request?.body.messages as Array<{ role: string; content: string }>;
    expect(messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(messages[0]?.content).toContain('"outage"');
    const shown = JSON.parse(messages[1]?.content ?? '{}') as Record<string, string>;
    expect(shown).toMatchObject({ kind: 'post', source: 'reddit', title: 'Is the API down?' });
    expect(shown.text?.length).toBe(2000);
  });

  it('uses a URL that already ends in /chat/completions as given', async () => {
    // Prepare
    const classifier = createClassifier(config({ LLM_API_URL: `${server.url}/openai/deployments/tiny/chat/completions` }));

    // Act
    await classifier.classify(item('anything'));

    // Assess
    expect(received()[0]?.url).toBe('/openai/deployments/tiny/chat/completions');
  });

  it('validates an artifact’s answer against the artifact categories', async () => {
    // Prepare
    server.respond(answers.ok('{"category":"funding","sentiment":"neutral","urgency":1}'));
    const classifier = createClassifier(config());

    // Act
    const artifact = await classifier.classify(item('acme/agents', { kind: 'repository', source: 'github' }));
    const post = await classifier.classify(item('a post'));

    // Assess: "funding" is no post category
    expect(artifact).toEqual({ category: 'funding', sentiment: 'neutral', urgency: 1, by: 'llm' });
    expect(post.by).toBe('keyword');
    expect(classifier.stats().fallbacks.invalid_answer).toBe(1);
  });

  it.each([
    ['an HTTP 500', () => answers.status(500), 'http'],
    ['an HTTP 429', () => answers.status(429), 'http'],
    ['a body that is not JSON', () => answers.raw('<html>Bad gateway</html>'), 'invalid_json'],
    ['content that is not JSON', () => answers.ok('The category is outage.'), 'invalid_json'],
    ['an urgency out of range', () => answers.ok('{"category":"outage","sentiment":"negative","urgency":9}'), 'invalid_answer'],
    ['an unknown category', () => answers.ok('{"category":"rant","sentiment":"negative","urgency":2}'), 'invalid_answer'],
    ['an unknown sentiment', () => answers.ok('{"category":"outage","sentiment":"furious","urgency":2}'), 'invalid_answer'],
  ] as const)('falls back to keywords on %s', async (_case, answer, reason) => {
    // Prepare
    server.respond(answer());
    const classifier = createClassifier(config());

    // Act
    const result = await classifier.classify(item('Service outage in eu-west'));

    // Assess
    expect(result).toMatchObject({ category: 'outage', by: 'keyword' });
    expect(classifier.stats()).toMatchObject({ items: 1, llm: 0, keyword: 1, llmCalls: 1 });
    expect(classifier.stats().fallbacks[reason]).toBe(1);
  });

  it('falls back on a timeout, within LLM_TIMEOUT_MS', async () => {
    // Prepare
    server.respond(answers.stall());
    const classifier = createClassifier(config({ LLM_TIMEOUT_MS: 300 }));

    // Act
    const started = performance.now();
    const result = await classifier.classify(item('Service outage in eu-west'));
    const elapsed = performance.now() - started;

    // Assess
    expect(result).toMatchObject({ category: 'outage', by: 'keyword' });
    expect(classifier.stats().fallbacks.timeout).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1500);
  });

  it('sends no more requests than its budget; the rest go to keywords', async () => {
    // Prepare
    const classifier = createClassifier(config({ LLM_BUDGET_PER_RUN: 2 }));

    // Act
    const results = await Promise.all(['a', 'b', 'c', 'Outage d'].map((title) => classifier.classify(item(title))));

    // Assess
    expect(received()).toHaveLength(2);
    expect(results.map((result) => result.by)).toEqual(['llm', 'llm', 'keyword', 'keyword']);
    expect(classifier.stats()).toMatchObject({ llm: 2, keyword: 2, llmCalls: 2, fallbacks: { budget: 2 } });
  });

  it('falls back on a refused connection', async () => {
    // Prepare: a port nothing listens on (a server opened and closed)
    const port = await unusedPort();
    const classifier = createClassifier(config({ LLM_API_URL: `http://127.0.0.1:${String(port)}/v1` }));

    // Act
    const result = await classifier.classify(item('Service outage'));

    // Assess
    expect(result.by).toBe('keyword');
    expect(classifier.stats().fallbacks.network).toBe(1);
  });

  it('ends an in-flight request when the run is aborted', async () => {
    // Prepare
    server.respond(answers.stall());
    const run = new AbortController();
    const classifier = createLlmClassifier({ url: `${server.url}/v1`, apiKey: KEY, model: 'tiny', budget: 5, timeoutMs: 5000, signal: run.signal });

    // Act
    const pending = classifier.classify(item('Service outage'));
    setTimeout(() => run.abort(), 50);
    const result = await pending;

    // Assess
    expect(result.by).toBe('keyword');
    expect(classifier.stats().fallbacks.aborted).toBe(1);
  });
});
