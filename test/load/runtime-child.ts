// The local runtime of `npm run loadtest`, in a process of its own so the load generator and the
// bridges (in the parent) do not share its event loop: it serves the real serverless.yml on the
// database and Redis the parent's environment names, and reports its URL over IPC. Schedules stay
// off (a discover run would fetch the real sources in the middle of the measurement). Asked
// `'usage'`, it answers with the CPU time it has used, so the parent can charge it per request,
// and its event-loop delay since the last question: time a ready request waited for the process.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startLocalRuntime } from '../../infra/local/runtime.js';
import { serverlessYmlPath } from '../../infra/local/settings.js';

/** What the child sends its parent once it serves requests. */
export interface RuntimeReady {
  type: 'ready';
  url: string;
}

/** The answer to `'usage'`. */
export interface RuntimeUsage {
  type: 'usage';
  /** User + system CPU time of the process so far, ms. */
  cpuMs: number;
  rssBytes: number;
  /** Event-loop delay since the previous `'usage'`, ms: p99 and max. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const runtime = await startLocalRuntime({ configPath: serverlessYmlPath, port: 0, host: '127.0.0.1', schedules: false });
process.send?.({ type: 'ready', url: runtime.url } satisfies RuntimeReady);
process.on('message', (message) => {
  if (message !== 'usage') return;
  const { user, system } = process.cpuUsage();
  process.send?.({
    type: 'usage',
    cpuMs: (user + system) / 1000,
    rssBytes: process.memoryUsage().rss,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loopDelayMaxMs: loopDelay.max / 1e6,
  } satisfies RuntimeUsage);
  loopDelay.reset();
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  void runtime.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent died without telling us: do not serve on forever.
process.on('disconnect', stop);
