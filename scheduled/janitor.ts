export { handler } from '../lib/jobs/catalog/janitor.js';
