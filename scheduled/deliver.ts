export { handler } from '../lib/jobs/catalog/deliver.js';
