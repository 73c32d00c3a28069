export { handler } from '../lib/jobs/catalog/digest.js';
