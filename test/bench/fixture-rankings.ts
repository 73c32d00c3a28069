// The top 20 of `GET /v1/signals?sort=score` over the recorded responses of all five sources
// (test/fixtures/sources), as served at harvest time and as served two days later: the before/after
// lists of issue 13. `npx tsx test/bench/fixture-rankings.ts` (needs nothing running: an in-memory
// PGlite and a local server playing the sources).
import { loadConfig } from '../../lib/config.js';
import { migrate } from '../../lib/db/migrate.js';
import { loadMigrations } from '../../lib/db/migration-files.js';
import { createPgliteDb } from '../../lib/db/pglite.js';
import { listSignals } from '../../lib/db/signals-repo.js';
import { createKeywordClassifier } from '../../lib/harvest/classify/index.js';
import { runHarvest } from '../../lib/harvest/pipeline.js';
import { createSources } from '../../lib/harvest/sources/index.js';
import { testJobContext } from '../support/job-context.js';
import { fixture, startSourceServer, type Reply } from '../support/source-server.js';

/** Every recorded page of each source, served in turn (the adapters follow their cursors). */
const RECORDED: Record<string, { files: string[]; type: string }> = {
  hackernews: { files: ['hackernews-page-0.json', 'hackernews-page-1.json', 'hackernews-page-2.json'], type: 'application/json' },
  github: { files: ['github-search-page-1.json', 'github-search-page-2.json', 'github-search-page-3.json'], type: 'application/json' },
  arxiv: { files: ['arxiv-page-0.xml', 'arxiv-page-1.xml'], type: 'application/atom+xml' },
  reddit: { files: ['reddit-new-page-1.json', 'reddit-new-page-2.json'], type: 'application/json' },
  x: { files: ['x-recent-search-page-1.json', 'x-recent-search-page-2.json'], type: 'application/json' },
};
const served: Record<string, number> = {};
/** Just after the newest recorded item. */
const HARVESTED_AT = Date.parse('2025-01-08T20:00:00Z');
const LATER = HARVESTED_AT + 2 * 86_400_000;

const server = await startSourceServer((request): Reply => {
  if (request.path === '/reddit-auth/api/v1/access_token') return { status: 200, body: '{"access_token":"fixture","expires_in":86400}' };
  const source = request.path.split('/')[1] ?? '';
  const recorded = RECORDED[source];
  const file = recorded?.files[served[source] ?? 0];
  if (recorded === undefined || file === undefined) return { status: 404 };
  served[source] = (served[source] ?? 0) + 1;
  return { status: 200, headers: { 'content-type': recorded.type }, body: fixture(file) };
});
const db = await createPgliteDb({ dataDir: 'memory://' });
await migrate(db, await loadMigrations());
const config = loadConfig({
  HACKERNEWS_API_URL: `${server.url}/hackernews`, HACKERNEWS_QUERIES: 'llm',
  GITHUB_API_URL: `${server.url}/github`, GITHUB_QUERIES: 'topic:llm',
  ARXIV_API_URL: `${server.url}/arxiv`, ARXIV_QUERIES: 'cat:cs.LG',
  REDDIT_API_URL: `${server.url}/reddit`, REDDIT_SUBREDDITS: 'MachineLearning',
  REDDIT_AUTH_URL: `${server.url}/reddit-auth`, REDDIT_CLIENT_ID: 'fixture', REDDIT_CLIENT_SECRET: 'fixture',
  X_API_URL: `${server.url}/x`, X_QUERIES: 'llm', X_BEARER_TOKEN: 'fixture',
  SOURCE_MAX_PAGES: '3',
});
const report = await runHarvest(testJobContext(), {
  db,
  sources: createSources(config, {}),
  classifier: createKeywordClassifier(),
  concurrency: 5,
  now: () => HARVESTED_AT,
});
console.log(`stored ${String(report.inserted)} signals`);
for (const [label, at] of [['at harvest', HARVESTED_AT], ['two days later', LATER]] as const) {
  const page = await listSignals(db, { sort: 'score', order: 'desc', limit: 20, asOf: new Date(at) } );
  console.log(`\n${label} (${new Date(at).toISOString()}):`);
  for (const [index, signal] of page.items.entries()) {
    console.log(`${String(index + 1).padStart(2)}. ${signal.score.toFixed(1).padStart(5)} ${signal.source.padEnd(10)} ${signal.kind.padEnd(10)} ${signal.title.slice(0, 60)}`);
  }
}
await db.close();
await server.close();
