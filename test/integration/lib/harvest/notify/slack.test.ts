// Slack notifications against a real HTTP receiver on 127.0.0.1 standing in for an incoming
// webhook: one message per run carrying every selected signal, escaping, retries after a 500,
// Retry-After on a 429, a receiver that is always down or never answers (sent: false, no throw,
// within the budget), and a webhook URL that never shows up in errors or logs. Also the pure parts
// the sender relies on: which signals are selected, and how the message is built.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Signal } from '../../../../../lib/model/signal.js';
import { notificationScore, selectForNotification } from '../../../../../lib/harvest/notify/select.js';
import { buildSlackMessage, escapeMrkdwn, MAX_SIGNALS_PER_MESSAGE, type SlackSignal } from '../../../../../lib/harvest/notify/slack-message.js';
import { notifySlack, type SlackNotifyOptions } from '../../../../../lib/harvest/notify/slack.js';
import { resetLog } from '../../../../../lib/log/index.js';
import { captureOutput } from '../../../../support/capture-log.js';
import { inTurn, unusedPort, useSourceServer, type Reply, type Responder } from '../../../../support/source-server.js';

/** The secret part of a webhook URL. */
const WEBHOOK_PATH = '/services/T000/B000/secret-webhook-token';

interface Received {
  contentType: string | undefined;
  body: { text: string; blocks: Array<{ type: string; text: { type: string; text: string } }> };
}

const reply = {
  ok: (): Reply => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' }),
  status: (status: number, body = 'error', headers: Record<string, string> = {}): Reply => ({ status, headers: { 'content-type': 'text/plain', ...headers }, body }),
  /** A receiver that never answers. */
  never: (): Responder => () => new Promise<Reply>(() => undefined),
};

const server = useSourceServer(() => reply.ok());
let webhookUrl: string;

beforeAll(() => {
  webhookUrl = `${server.url}${WEBHOOK_PATH}`;
});

/** The messages the receiver got, in order, with their content type. */
function received(): Received[] {
  return server.requests.map((request) => ({ contentType: request.headers['content-type'], body: JSON.parse(request.body) as Received['body'] }));
}

beforeEach(() => {
  vi.stubEnv('LOG_LEVEL', 'info');
  resetLog();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetLog();
});

function signal(id: number, overrides: Partial<Signal> = {}): Signal {
  return {
    id: String(id),
    source: 'hackernews',
    sourceId: `hn-${String(id)}`,
    kind: 'story',
    url: `https://news.example.com/item?id=${String(id)}&ref=feed`,
    title: `Signal number ${String(id)}`,
    text: '',
    author: null,
    publishedAt: new Date('2026-01-30T00:00:00Z'),
    fetchedAt: new Date('2026-01-30T01:00:00Z'),
    engagement: {},
    category: 'outage',
    sentiment: 'negative',
    urgency: 3,
    tags: [],
    salience: 75,
    discoveryScore: null,
    score: 75,
    scoreDetails: {},
    status: 'active',
    notifiedAt: null,
    updatedAt: new Date('2026-01-30T01:00:00Z'),
    duplicateGroup: null,
    mentionCount: 1,
    ...overrides,
  };
}

/** An injected sleep that records the waits and returns at once. */
function recordingSleep(): { sleep: NonNullable<SlackNotifyOptions['sleep']>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}

describe('notifySlack', () => {
  it('sends one message carrying every signal, with a title link, source, category and score each', async () => {
    // Prepare
    const signals = [
      signal(1),
      signal(2, { kind: 'repository', source: 'github', category: 'open_source_release', salience: null, discoveryScore: 91.25, url: 'https://github.com/acme/x' }),
      signal(3, { category: null }),
    ];

    // Act
    const result = await notifySlack(signals, { webhookUrl });

    // Assess
    expect(result).toEqual({ sent: true, outcome: 'sent', attempts: 1, signalIds: ['1', '2', '3'], status: 200 });
    expect(received()).toHaveLength(1);
    const { body, contentType } = received()[0] ?? { body: { text: '', blocks: [] } };
    expect(contentType).toBe('application/json');
    expect(body.blocks).toHaveLength(4);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Signal Harvester: 3 new signals' } });
    expect(body.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*<https://news.example.com/item?id=1&amp;ref=feed|Signal number 1>*\nhackernews · outage · salience 75.0' },
    });
    expect(body.blocks[2]?.text.text).toBe('*<https://github.com/acme/x|Signal number 2>*\ngithub · open_source_release · discovery 91.3');
    expect(body.blocks[3]?.text.text).toContain('hackernews · unclassified · salience 75.0');
    expect(body.text.split('\n')).toEqual([
      'Signal Harvester: 3 new signals',
      '• <https://news.example.com/item?id=1&amp;ref=feed|Signal number 1> (hackernews · outage · salience 75.0)',
      '• <https://github.com/acme/x|Signal number 2> (github · open_source_release · discovery 91.3)',
      '• <https://news.example.com/item?id=3&amp;ref=feed|Signal number 3> (hackernews · unclassified · salience 75.0)',
    ]);
  });

  it('carries at most maxSignals signals and reports which', async () => {
    // Act
    const result = await notifySlack([signal(1), signal(2), signal(3), signal(4)], { webhookUrl, maxSignals: 2 });

    // Assess
    expect(result.signalIds).toEqual(['1', '2']);
    expect(received()[0]?.body.blocks).toHaveLength(3);
  });

  it('escapes &, < and > so a title cannot mention @channel or break its link', async () => {
    // Act
    await notifySlack([signal(1, { title: '<!channel> Tom & Jerry > <https://evil.example|click>', url: 'https://a.example/x?a=1|b' })], { webhookUrl });

    // Assess
    const section = received()[0]?.body.blocks[1]?.text.text ?? '';
    expect(section).toBe('*<https://a.example/x?a=1%7Cb|&lt;!channel&gt; Tom &amp; Jerry &gt; &lt;https://evil.example|click&gt;>*\nhackernews · outage · salience 75.0');
    expect(received()[0]?.body.text).not.toContain('<!channel>');
  });

  it('retries after a 500 and succeeds on the second attempt, after the jittered backoff', async () => {
    // Prepare
    server.respond(inTurn(reply.status(500), reply.ok()));
    const { sleep, waits } = recordingSleep();

    // Act
    const result = await notifySlack([signal(1)], { webhookUrl, sleep, backoffMs: 500, random: () => 0 });

    // Assess: the shared schedule (lib/harvest/retry.ts) waits half the step plus a random share of the other half.
    expect(result).toMatchObject({ sent: true, attempts: 2 });
    expect(waits).toEqual([250]);
    expect(received()).toHaveLength(2);
    expect(received()[1]?.body).toEqual(received()[0]?.body);
  });

  it('honours Retry-After on a 429', async () => {
    // Prepare
    server.respond(inTurn(reply.status(429, 'rate_limited', { 'retry-after': '2' }), reply.ok()));
    const { sleep, waits } = recordingSleep();

    // Act
    const result = await notifySlack([signal(1)], { webhookUrl, sleep, backoffMs: 100 });

    // Assess
    expect(result).toMatchObject({ sent: true, attempts: 2 });
    expect(waits).toEqual([2000]);
  });

  it('gives up at once when Retry-After is longer than the time left', async () => {
    // Prepare
    server.respond(() => reply.status(429, 'rate_limited', { 'retry-after': '30' }));
    const { sleep, waits } = recordingSleep();

    // Act
    const result = await notifySlack([signal(1)], { webhookUrl, sleep, timeBudgetMs: 5000 });

    // Assess
    expect(result).toMatchObject({ sent: false, attempts: 1, status: 429 });
    expect(result.error).toMatch(/^HTTP 429 rate_limited; a retry in 30000 ms would exceed the time budget$/);
    expect(waits).toEqual([]);
  });

  it('returns sent: false after its attempts against a receiver that is always down, backing off in between', async () => {
    // Prepare
    server.respond(() => reply.status(503, 'down'));
    const { sleep, waits } = recordingSleep();

    // Act
    const result = await notifySlack([signal(1), signal(2)], { webhookUrl, sleep, backoffMs: 200, random: () => 0.5 });

    // Assess
    expect(result).toEqual({ sent: false, outcome: 'not_sent', attempts: 3, signalIds: ['1', '2'], status: 503, error: 'HTTP 503 down' });
    expect(waits).toEqual([150, 300]);
    expect(received()).toHaveLength(3);
  });

  it('does not retry a request Slack refuses (4xx other than 429)', async () => {
    // Prepare
    server.respond(() => reply.status(400, 'invalid_payload'));

    // Act
    const result = await notifySlack([signal(1)], { webhookUrl });

    // Assess
    expect(result).toMatchObject({ sent: false, attempts: 1, status: 400, error: 'HTTP 400 invalid_payload' });
  });

  it('stops within its time budget when the receiver never answers, real waits included', async () => {
    // Prepare
    server.respond(reply.never());

    // Act
    const started = performance.now();
    const result = await notifySlack([signal(1)], { webhookUrl, timeBudgetMs: 300 });
    const elapsed = performance.now() - started;

    // Assess
    // the request may have reached Slack: an unknown outcome, never repeated
    expect(result).toMatchObject({ sent: false, outcome: 'unknown', attempts: 1, error: 'time budget of 300 ms exhausted' });
    expect(elapsed).toBeLessThan(1000);
  });

  it('retries a refused connection and reports the error code, never the webhook URL', async () => {
    // Prepare: a port nothing listens on
    const port = await unusedPort();
    const output = captureOutput();
    const { sleep } = recordingSleep();

    // Act
    const result = await notifySlack([signal(1)], { webhookUrl: `http://127.0.0.1:${String(port)}${WEBHOOK_PATH}`, sleep });

    // Assess
    // never connected: surely not sent, so retried and released
    expect(result).toMatchObject({ sent: false, outcome: 'not_sent', attempts: 3, error: 'network error: ECONNREFUSED' });
    expect(output()).toContain('slack notification not sent');
    expect(output()).not.toContain('secret-webhook-token');
    expect(JSON.stringify(result)).not.toContain('secret-webhook-token');
  });

  it('ends when the run aborts during a wait', async () => {
    // Prepare
    server.respond(() => reply.status(500));
    const run = new AbortController();

    // Act
    const pending = notifySlack([signal(1)], { webhookUrl, signal: run.signal, backoffMs: 5000 });
    setTimeout(() => run.abort(), 100);
    const result = await pending;

    // Assess
    expect(result).toMatchObject({ sent: false, attempts: 1, error: 'aborted by the run' });
  });

  it('sends nothing when there is nothing to send', async () => {
    // Act
    const result = await notifySlack([], { webhookUrl });

    // Assess
    expect(result).toEqual({ sent: false, outcome: 'not_sent', attempts: 0, signalIds: [], error: 'nothing to send' });
    expect(received()).toHaveLength(0);
  });
});

describe('buildSlackMessage', () => {
  it('never exceeds Slack’s 50 blocks, and cuts long titles', () => {
    // Prepare
    const many: SlackSignal[] = Array.from({ length: 60 }, (_, i) => signal(i + 1, { title: 'word '.repeat(100) }));

    // Act
    const { message, signalIds } = buildSlackMessage(many, 60);

    // Assess
    expect(message.blocks).toHaveLength(50);
    expect(signalIds).toHaveLength(MAX_SIGNALS_PER_MESSAGE);
    const title = /\|(.*)>\*/.exec(message.blocks[1]?.type === 'section' ? message.blocks[1].text.text : '')?.[1] ?? '';
    expect(title.length).toBeLessThanOrEqual(150);
    expect(title.endsWith('…')).toBe(true);
  });

  it('shows a title without a link when the URL is not http(s)', () => {
    // Act
    const { message } = buildSlackMessage([signal(1, { url: 'javascript:alert(1)' })]);

    // Assess
    expect(message.blocks[1]).toMatchObject({ text: { text: '*Signal number 1*\nhackernews · outage · salience 75.0' } });
  });

  it('escapes exactly &, < and >', () => {
    // Act & Assess
    expect(escapeMrkdwn('a & b < c > d *e* _f_')).toBe('a &amp; b &lt; c &gt; d *e* _f_');
  });
});

describe('selectForNotification', () => {
  const thresholds = { minSalience: 70, minDiscoveryScore: 80 };

  it('picks new active signals at or above their kind’s threshold, best first', () => {
    // Prepare
    const signals = [
      signal(1, { salience: 69.9 }),
      signal(2, { salience: 70 }),
      signal(3, { salience: 95 }),
      signal(4, { kind: 'preprint', salience: 99, discoveryScore: 79 }),
      signal(5, { kind: 'preprint', salience: null, discoveryScore: 85 }),
      signal(6, { kind: 'release', salience: null, discoveryScore: null }),
      signal(7, { salience: 90, notifiedAt: new Date() }),
      signal(8, { salience: 90, status: 'paused' }),
      signal(9, { salience: 90, status: 'archived' }),
      signal(10, { kind: 'post', salience: null }),
    ];

    // Act
    const chosen = selectForNotification(signals, thresholds);

    // Assess: 4 has salience 99 but is an artifact, judged by its discovery score (79)
    expect(chosen.map((chosenSignal) => chosenSignal.id)).toEqual(['3', '5', '2']);
  });

  it('breaks ties by id, as the query does, and applies the limit', () => {
    // Prepare
    const signals = [signal(12, { salience: 80 }), signal(3, { salience: 80 }), signal(100, { salience: 80 })];

    // Act
    const chosen = selectForNotification(signals, thresholds, 2);

    // Assess
    expect(chosen.map((chosenSignal) => chosenSignal.id)).toEqual(['3', '12']);
    expect(signals.map((original) => original.id)).toEqual(['12', '3', '100']);
  });

  it('judges artifacts by discovery score and posts by salience', () => {
    // Act & Assess
    expect(notificationScore({ kind: 'repository', salience: 10, discoveryScore: 90 })).toBe(90);
    expect(notificationScore({ kind: 'story', salience: 10, discoveryScore: 90 })).toBe(10);
  });
});
