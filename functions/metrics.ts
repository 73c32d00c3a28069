// GET /metrics (admin tier): this container's registry in the Prometheus text format. In Lambda that
// is one container of this function (the Pushgateway holds every container's); the local runtime
// serves all functions from one process, so there it is the whole service's.
import { defaultKeyStore } from '../lib/auth/default-store.js';
import { createApp, toLambdaHandler } from '../lib/http/app.js';
import { requireTier } from '../lib/http/auth.js';
import { registry } from '../lib/metrics/registry.js';
import { defaultLimiter } from '../lib/ratelimit/default-limiter.js';

const app = createApp({ name: 'metrics', keys: defaultKeyStore, limiter: defaultLimiter });

app.get('/metrics', requireTier('admin'), async (c) => {
  const text = await registry.metrics();
  return c.body(text, 200, { 'Content-Type': registry.contentType });
});

export const handler = toLambdaHandler(app);
