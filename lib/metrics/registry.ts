// This container's metric registry (the project's own, never prom-client's global one). Metric
// definitions live beside it, one module per area, all registered here.
import { Registry } from './prom.js';

export const registry = new Registry();
