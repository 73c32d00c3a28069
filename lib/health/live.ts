// The liveness body. Uptime counts from this module's load, i.e. the container's start.
import { getConfig } from '../config.js';

const startedAt = performance.now();

export interface LivenessBody {
  status: 'healthy';
  version: string;
  uptime_seconds: number;
  timestamp: string;
}

export function liveness(now: Date = new Date()): LivenessBody {
  return {
    status: 'healthy',
    version: getConfig().APP_VERSION,
    uptime_seconds: Math.round((performance.now() - startedAt) / 10) / 100,
    timestamp: now.toISOString(),
  };
}
