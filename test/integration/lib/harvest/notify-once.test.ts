// Slack at most once (issue 13), through whole harvest runs on real Postgres: the run claims its
// signals (notified_at = its instant) before the message leaves, so a send Slack accepted but whose
// answer never came back (timed out after acceptance) is not repeated by the next run; a send Slack
// surely refused is released and sent by the next run.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../lib/config.js';
import { createKeywordClassifier } from '../../../../lib/harvest/classify/index.js';
import { runHarvest, type HarvestReport } from '../../../../lib/harvest/pipeline.js';
import { createSources } from '../../../../lib/harvest/sources/index.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../../../support/databases.js';
import { testJobContext } from '../../../support/job-context.js';
import { fixture, recordingSleep, useSourceServer, type ReceivedRequest, type Reply } from '../../../support/source-server.js';

const slack: ReceivedRequest[] = [];
let slackReply: Reply = { status: 200, body: 'ok' };

const server = useSourceServer((request) => {
  if (request.path === '/slack') {
    slack.push(request);
    return slackReply;
  }
  if (request.path.startsWith('/hackernews/')) return { status: 200, headers: { 'content-type': 'application/json' }, body: fixture('hackernews-page-2.json') };
  return { status: 404 };
});

const opened: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(opened.map((database) => database.dispose()));
  await closeDatabases();
});

async function harvest(database: TestDatabase, remainingMs: number): Promise<HarvestReport> {
  const config = loadConfig({ HARVEST_SOURCES: 'hackernews', HACKERNEWS_API_URL: `${server.url}/hackernews`, HACKERNEWS_QUERIES: 'llm', SOURCE_MAX_PAGES: '1' });
  return runHarvest(testJobContext({ remainingMs: () => remainingMs }), {
    db: database.db,
    sources: createSources(config, { sleep: recordingSleep().sleep }),
    classifier: createKeywordClassifier(),
    concurrency: 1,
    notify: { webhookUrl: `${server.url}/slack`, maxPerRun: 20, minSalience: 0, minDiscoveryScore: 0 },
  });
}

describe('Slack notifications, at most once', () => {
  beforeEach(() => {
    slack.length = 0;
    slackReply = { status: 200, body: 'ok' };
  });

  it('does not repeat a send that timed out after Slack accepted it', async () => {
    // Prepare: Slack takes the message but answers after the run's notification budget (400 ms)
    const database = await createPostgresDatabase();
    opened.push(database);
    slackReply = { status: 200, body: 'ok', delayMs: 1_500 };

    // Act: the run that timed out, then a normal one
    const first = await harvest(database, 400);
    slackReply = { status: 200, body: 'ok' };
    const second = await harvest(database, 60_000);

    // Assess: Slack received the message once; the second run had nothing new
    expect(first.notification).toMatchObject({ sent: false, outcome: 'unknown', attempts: 1 });
    expect(second.notification).toEqual({ skipped: 'nothing_new' });
    expect(slack).toHaveLength(1);
  });

  it('sends next run what Slack surely refused', async () => {
    // Prepare
    const database = await createPostgresDatabase();
    opened.push(database);
    slackReply = { status: 400, body: 'invalid_payload' };

    // Act
    const first = await harvest(database, 60_000);
    slackReply = { status: 200, body: 'ok' };
    const second = await harvest(database, 60_000);
    const third = await harvest(database, 60_000);

    // Assess
    expect(first.notification).toMatchObject({ sent: false, outcome: 'not_sent' });
    expect(second.notification).toMatchObject({ sent: true, outcome: 'sent' });
    expect(third.notification).toEqual({ skipped: 'nothing_new' });
    expect(slack).toHaveLength(2);
  });
});
