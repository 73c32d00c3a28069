// Health probes. `/health/live` touches no dependency: it answers whenever the container can run
// code at all. Ready and startup are imported on first use, so the liveness path never loads the
// database driver (esbuild defers a dynamically imported module's evaluation).
import { liveness } from '../lib/health/live.js';
import { createApp, toLambdaHandler } from '../lib/http/app.js';

const app = createApp({ name: 'health' });

app.get('/health/live', (c) => c.json(liveness()));

app.get('/health/ready', async (c) => {
  const { readiness, statusCode } = await import('../lib/health/ready.js');
  const report = await readiness();
  return c.json(report, statusCode(report));
});

app.get('/health/startup', async (c) => {
  const { startup } = await import('../lib/health/startup.js');
  const report = await startup();
  return c.json(report, report.status === 'unhealthy' ? 503 : 200);
});

export const handler = toLambdaHandler(app);
