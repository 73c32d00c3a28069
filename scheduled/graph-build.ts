export { handler } from '../lib/jobs/catalog/graph-build.js';
