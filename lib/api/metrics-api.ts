// GET /metrics (admin tier): this container's registry in the Prometheus text format. In Lambda that
// is one container of this function (the Pushgateway holds every container's); the local runtime
// serves all functions from one process, so there it is the whole service's.
import { requireTier, type App } from '../http/index.js';
import { registry } from '../metrics/registry.js';

export function mountMetricsApi(app: App): void {
  app.get('/metrics', requireTier('admin'), async (c) => {
    const text = await registry.metrics();
    return c.body(text, 200, { 'Content-Type': registry.contentType });
  });
}
