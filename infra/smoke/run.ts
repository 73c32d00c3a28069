// `npm run smoke -- <base URL> [--admin-key KEY] [--job-timeout SECONDS]`: checks a deployed stage
// (or `npm start`) end to end and prints a pass/fail table; exits 1 when a check failed, 2 on a
// usage error. The admin key may also come from SMOKE_ADMIN_KEY, so it stays out of shell history.
import { parseArgs } from 'node:util';
import { formatTable, runSmoke } from './checks.js';

const USAGE = 'usage: npm run smoke -- <base URL> [--admin-key KEY] [--job-timeout SECONDS]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseArgs<{ options: { 'admin-key': { type: 'string' }; 'job-timeout': { type: 'string' } }; allowPositionals: true }>>;
try {
  parsed = parseArgs({ options: { 'admin-key': { type: 'string' }, 'job-timeout': { type: 'string' } }, allowPositionals: true });
} catch (error) {
  fail((error as Error).message);
}
const [baseUrl] = parsed.positionals;
if (baseUrl === undefined || !/^https?:\/\//.test(baseUrl)) fail('a base URL (http:// or https://) is required');
const jobTimeout = parsed.values['job-timeout'] === undefined ? 120 : Number(parsed.values['job-timeout']);
if (!Number.isFinite(jobTimeout) || jobTimeout <= 0) fail('--job-timeout takes a number of seconds');
const adminKey = parsed.values['admin-key'] ?? (process.env.SMOKE_ADMIN_KEY || undefined);

const results = await runSmoke({ baseUrl, adminKey, jobTimeoutMs: jobTimeout * 1000 });
process.stdout.write(`Smoke test of ${baseUrl}\n${formatTable(results)}\n`);
process.exitCode = results.some((result) => result.status === 'fail') ? 1 : 0;
