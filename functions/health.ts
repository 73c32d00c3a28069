// Health probes. `/health/live` touches no dependency: it answers whenever the container can run
// code at all. The ready and startup probes join with the observability work.
import { liveness } from '../lib/health/live.js';
import { createApp, toLambdaHandler } from '../lib/http/app.js';

const app = createApp({ name: 'health' });

app.get('/health/live', (c) => c.json(liveness()));

export const handler = toLambdaHandler(app);
