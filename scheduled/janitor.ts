// Every 15 minutes: deletes this service's Pushgateway groups that no container has pushed to within
// PUSHGATEWAY_GROUP_TTL_MS, so the Pushgateway stays bounded as Lambda containers come and go.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { runJanitor, type JanitorResult } from '../lib/metrics/janitor.js';
import { ensureSecrets } from '../lib/secrets.js';

export async function handler(_event: ScheduledEvent, context: Context): Promise<JanitorResult> {
  // The secret may carry PUSHGATEWAY_URL (with its credentials): merged before the config is read.
  await ensureSecrets();
  return runJanitor({ functionName: 'janitor', remainingMs: () => context.getRemainingTimeInMillis() });
}
