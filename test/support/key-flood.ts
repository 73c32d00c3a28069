// A key-guessing flood: `keys` random, well-formed API keys (none issued) from one source IP,
// `concurrency` at a time, against an app wired like a function. Counts the answers and the
// api_keys look-ups the database actually ran (db_queries_total), for the fault test and the bench.
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { API_KEY_PREFIX } from '../../lib/auth/api-key.js';
import type { App } from '../../lib/http/app.js';
import { dbQueries } from '../../lib/metrics/db-metrics.js';
import { valueOf } from './metric-values.js';

export interface KeyFloodOptions {
  app: App;
  keys: number;
  concurrency: number;
  /** The API Gateway source IP every request comes from. */
  sourceIp: string;
  path?: string;
}

export interface KeyFloodResult {
  /** Count per status. */
  statuses: Record<number, number>;
  /** Index (0-based, in sending order) of the first 429; undefined when none. */
  first429: number | undefined;
  /** SELECTs on api_keys the database ran during the flood. */
  lookups: number;
}

async function apiKeyLookups(): Promise<number> {
  const labels = { operation: 'select', table: 'api_keys' };
  return (await valueOf(dbQueries, { ...labels, status: 'ok' })) + (await valueOf(dbQueries, { ...labels, status: 'error' }));
}

export async function floodRandomKeys(options: KeyFloodOptions): Promise<KeyFloodResult> {
  const path = options.path ?? '/v1/signals?limit=1';
  // Only what the middleware reads of the event: its source IP.
  const event = { requestContext: { http: { sourceIp: options.sourceIp } } } as APIGatewayProxyEventV2;
  const before = await apiKeyLookups();
  const statuses: Record<number, number> = {};
  let first429: number | undefined;
  let next = 0;
  async function worker(): Promise<void> {
    while (next < options.keys) {
      const index = next;
      next += 1;
      const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
      const response = await options.app.request(path, { headers: { 'x-api-key': key } }, { event });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status === 429 && (first429 === undefined || index < first429)) first429 = index;
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { statuses, first429, lookups: (await apiKeyLookups()) - before };
}
