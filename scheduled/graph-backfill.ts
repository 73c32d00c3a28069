export { handler } from '../lib/jobs/catalog/graph-backfill.js';
