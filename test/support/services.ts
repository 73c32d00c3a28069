// Where the real services of the test machine live. Overridable so a developer can point the
// suite at other instances; the defaults are what infra/local/ensure-services.sh starts.
export const services = {
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  postgresUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  pushgatewayUrl: process.env.TEST_PUSHGATEWAY_URL ?? 'http://127.0.0.1:9091',
  /** PgBouncer in transaction mode in front of that PostgreSQL (Neon's pooled endpoint, emulated). */
  pgbouncerUrl: process.env.TEST_PGBOUNCER_URL ?? 'postgres://postgres@127.0.0.1:6432/test',
  victoriaMetricsUrl: process.env.TEST_VICTORIA_METRICS_URL ?? 'http://127.0.0.1:8428',
  /** Debian's Chromium, which the browser tests drive through playwright-core (test/support/browser.ts). */
  chromiumPath: process.env.TEST_CHROMIUM_PATH ?? '/usr/bin/chromium',
} as const;
