// Two containers (two processes) start the same job at the same moment while Redis cannot be
// reached — refused, or black-holed (a TCP server that accepts and never answers) — with the
// database on real Postgres through the Neon bridge. Exactly one runs; the other is skipped as
// locked, because the lock falls back to a lease in Postgres that both see, not to each
// container's memory (which let both run discover and notify Slack twice).
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../../lib/db/sql.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../../../support/databases.js';
import { spawnTsx, unusedPort } from '../../../support/processes.js';

const HOLD_MS = 1_500;
/** Time for a process to load (tsx and the libraries: ~1-2 s, far more on a busy box). */
const LOAD_TIMEOUT_MS = 30_000;

let database: TestDatabase;
let blackHole: Server;
const held = new Set<Socket>();

beforeAll(async () => {
  database = await createPostgresDatabase();
  blackHole = createServer((socket) => {
    held.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
}, 60_000);

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise<void>((resolve) => blackHole.close(() => resolve()));
  await database.dispose();
  await closeDatabases();
});

interface RunLine {
  status: string;
  reason: string | null;
  worked: boolean;
}

describe.each([
  { redis: 'refused', url: async () => `http://127.0.0.1:${String(await unusedPort())}` },
  { redis: 'black-holed', url: () => Promise.resolve(`http://127.0.0.1:${String((blackHole.address() as AddressInfo).port)}`) },
])('two containers running a job while Redis is $redis', ({ url }) => {
  it('run it once: the other is skipped as locked, through a lease in Postgres', async () => {
    // Prepare
    await database.db.query(sql`DELETE FROM job_leases`);
    const env = {
      UPSTASH_REDIS_REST_URL: await url(),
      UPSTASH_REDIS_REST_TOKEN: 'unused',
      DATABASE_URL: database.url,
      NEON_WS_PROXY: database.wsProxy,
      PUSHGATEWAY_URL: '',
      SECRETS_ID: '',
      LOG_LEVEL: 'error',
      HOLD_MS: String(HOLD_MS),
    };
    const containers = [spawnTsx('test/support/run-job-child.ts', env), spawnTsx('test/support/run-job-child.ts', env)];
    await Promise.all(containers.map((container) => container.waitFor((line) => line.ready === true, LOAD_TIMEOUT_MS)));

    // Act: both loaded, both started at once
    for (const container of containers) container.child.kill('SIGUSR2');
    const runs = await Promise.all(containers.map(async (container) => (await container.waitFor((line) => line.run !== undefined, 20_000)).run as RunLine));
    await Promise.all(containers.map((container) => container.stop()));

    // Assess
    const statuses = runs.map((run) => run.status).sort();
    expect(statuses, JSON.stringify(runs)).toEqual(['skipped', 'succeeded']);
    expect(runs.find((run) => run.status === 'skipped')).toMatchObject({ reason: 'locked', worked: false });
    const recorded = await database.db.query<{ status: string; lock: string | null }>(
      sql`SELECT status, details->>'lock' AS lock FROM job_runs WHERE job = 'janitor' ORDER BY id DESC LIMIT 2`,
    );
    expect(recorded.map((row) => row.status).sort()).toEqual(['skipped', 'succeeded']);
    expect(recorded.find((row) => row.status === 'succeeded')?.lock).toBe('postgres');
    // Released at the end of the run.
    expect(await database.db.query(sql`SELECT job FROM job_leases`)).toEqual([]);
  }, 60_000);
});
