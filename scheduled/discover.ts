export { handler } from '../lib/jobs/catalog/discover.js';
