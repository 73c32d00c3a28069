// The two dev bridges of `npm run loadtest` (Neon WebSocket → Postgres, Upstash REST → Redis), in
// a process of their own: they stand in for the network and Neon's and Upstash's proxies, so
// their CPU must not be charged to the runtime nor slow down the load generator's event loop.
// The Redis URL comes as the first argument, the bridge token in LOADTEST_BRIDGE_TOKEN.
import { startNeonBridge } from '../../infra/local/neon-bridge.js';
import { startUpstashBridge } from '../../infra/local/upstash-bridge.js';

/** What the child sends its parent once both bridges listen. */
export interface BridgesReady {
  /** `host:port/v2`, for NEON_WS_PROXY. */
  neonWsProxy: string;
  /** For UPSTASH_REDIS_REST_URL. */
  upstashUrl: string;
}

const redisUrl = process.argv[2];
const token = process.env.LOADTEST_BRIDGE_TOKEN;
if (redisUrl === undefined || token === undefined || token === '') throw new Error('usage: bridges-child.ts <redis-url> (with LOADTEST_BRIDGE_TOKEN set)');

const neon = await startNeonBridge();
const upstash = await startUpstashBridge({ redisUrl, token });
process.send?.({ neonWsProxy: `${neon.host}:${String(neon.port)}/v2`, upstashUrl: upstash.url } satisfies BridgesReady);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  void Promise.allSettled([neon.close(), upstash.close()]).then(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
