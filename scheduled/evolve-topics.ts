export { handler } from '../lib/jobs/catalog/evolve-topics.js';
