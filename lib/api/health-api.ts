// Health probes. `/health/live` touches no dependency: it answers whenever the container can run
// code at all. Ready and startup are imported on first use, so the liveness path never loads the
// database driver (esbuild defers a dynamically imported module's evaluation).
import { liveness } from '../health/live.js';
import type { App } from '../http/index.js';

export function mountHealthApi(app: App): void {
  app.get('/health/live', (c) => c.json(liveness()));

  app.get('/health/ready', async (c) => {
    const { readiness, statusCode } = await import('../health/ready.js');
    const report = await readiness();
    return c.json(report, statusCode(report));
  });

  app.get('/health/startup', async (c) => {
    const { startup } = await import('../health/startup.js');
    const report = await startup();
    return c.json(report, report.status === 'unhealthy' ? 503 : 200);
  });
}
