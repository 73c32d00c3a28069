// The LLM classifier against a real HTTP server on 127.0.0.1 that speaks the chat-completions
// format: what a request carries (path, model, response_format, Bearer key, the item as data), a
// good answer, and every way an answer can fail — HTTP 500, a stall past the timeout, a body that
// is not JSON, values out of range, a spent budget, a refused connection, the run ending — each
// one a keyword classification with its reason counted.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClassifier, createLlmClassifier, type ClassifierConfig } from '../../../../lib/harvest/classify/index.js';
import type { HarvestedItem } from '../../../../lib/harvest/types.js';

const KEY = 'sk-integration-test-key';

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

type Behaviour = (response: ServerResponse) => void;

function completion(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'tiny',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
}

const answers = {
  ok: (content: string): Behaviour => (response) => response.writeHead(200, { 'content-type': 'application/json' }).end(completion(content)),
  status: (status: number): Behaviour => (response) => response.writeHead(status, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}'),
  raw: (body: string): Behaviour => (response) => response.writeHead(200, { 'content-type': 'application/json' }).end(body),
  /** Headers, then nothing: the body never completes. */
  stall: (): Behaviour => (response) => response.writeHead(200, { 'content-type': 'application/json' }).write('{"choices":'),
};

let server: Server;
let baseUrl: string;
let behaviour: Behaviour;
const received: Received[] = [];

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void readBody(request).then((text) => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        body: JSON.parse(text) as Record<string, unknown>,
      });
      behaviour(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
  behaviour = answers.ok('{"category":"security","sentiment":"negative","urgency":4}');
});

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
  return { LLM_API_URL: `${baseUrl}/v1`, LLM_API_KEY: KEY, LLM_MODEL: 'tiny', LLM_BUDGET_PER_RUN: 10, LLM_TIMEOUT_MS: 2000, ...overrides };
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
    const [request] = received;
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
    const classifier = createClassifier(config({ LLM_API_URL: `${baseUrl}/openai/deployments/tiny/chat/completions` }));

    // Act
    await classifier.classify(item('anything'));

    // Assess
    expect(received[0]?.url).toBe('/openai/deployments/tiny/chat/completions');
  });

  it('validates an artifact’s answer against the artifact categories', async () => {
    // Prepare
    behaviour = answers.ok('{"category":"funding","sentiment":"neutral","urgency":1}');
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
    behaviour = answer();
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
    behaviour = answers.stall();
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
    expect(received).toHaveLength(2);
    expect(results.map((result) => result.by)).toEqual(['llm', 'llm', 'keyword', 'keyword']);
    expect(classifier.stats()).toMatchObject({ llm: 2, keyword: 2, llmCalls: 2, fallbacks: { budget: 2 } });
  });

  it('falls back on a refused connection', async () => {
    // Prepare: a port nothing listens on (a server opened and closed)
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const classifier = createClassifier(config({ LLM_API_URL: `http://127.0.0.1:${String(port)}/v1` }));

    // Act
    const result = await classifier.classify(item('Service outage'));

    // Assess
    expect(result.by).toBe('keyword');
    expect(classifier.stats().fallbacks.network).toBe(1);
  });

  it('ends an in-flight request when the run is aborted', async () => {
    // Prepare
    behaviour = answers.stall();
    const run = new AbortController();
    const classifier = createLlmClassifier({ url: `${baseUrl}/v1`, apiKey: KEY, model: 'tiny', budget: 5, timeoutMs: 5000, signal: run.signal });

    // Act
    const pending = classifier.classify(item('Service outage'));
    setTimeout(() => run.abort(), 50);
    const result = await pending;

    // Assess
    expect(result.by).toBe('keyword');
    expect(classifier.stats().fallbacks.aborted).toBe(1);
  });
});
