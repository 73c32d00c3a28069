// Child process of local-runtime.ts: `GET /health/live` over keep-alive HTTP, through the local
// runtime (routing, event and context building, timeout race, result mapping) against a bare
// node:http server that hands the same handler a prebuilt event.
import { Agent, createServer, request, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalRuntime } from '../../infra/local/runtime.js';
import { serverlessYmlPath } from '../../infra/local/settings.js';
import { handler } from '../../functions/health.js';
import { reportToParent } from './child.js';
import { benchLambdaContext, HEALTH_PATH, healthLiveEvent } from './fixtures.js';
import { interleave } from './stats.js';

export interface LocalRuntimeResult {
  /** Mean µs per request through the local runtime. */
  runtimeUs: number;
  /** Mean µs per request through the bare server. */
  baselineUs: number;
}

const WARM_UP_REQUESTS = 300;
const ROUNDS = 4;
const REQUESTS_PER_ROUND = 500;

function startBareServer(): Promise<Server> {
  const event = healthLiveEvent();
  const context = benchLambdaContext();
  const server = createServer((incoming, response) => {
    incoming.resume();
    handler(event, context).then(
      (result) => {
        const headers: OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
        response.writeHead(result.statusCode ?? 200, headers).end(result.body ?? '');
      },
      (error: unknown) => {
        response.writeHead(500).end(String(error));
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** One GET on a kept-alive connection; resolves when the whole body has arrived. */
function get(agent: Agent, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ agent, host: '127.0.0.1', port, path: HEALTH_PATH }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`GET ${HEALTH_PATH} answered ${String(response.statusCode)}`));
      response.resume();
      response.once('end', resolve);
      response.once('error', reject);
    });
    outgoing.once('error', reject);
    outgoing.end();
  });
}

async function requestsTake(agent: Agent, port: number, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await get(agent, port);
  return performance.now() - started;
}

const runtime = await startLocalRuntime({ configPath: serverlessYmlPath, port: 0, schedules: false });
const bare = await startBareServer();
const runtimePort = Number(new URL(runtime.url).port);
const barePort = (bare.address() as AddressInfo).port;
const runtimeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
const bareAgent = new Agent({ keepAlive: true, maxSockets: 1 });

await requestsTake(runtimeAgent, runtimePort, WARM_UP_REQUESTS);
await requestsTake(bareAgent, barePort, WARM_UP_REQUESTS);
let runtimeMs = 0;
let baselineMs = 0;
await interleave(ROUNDS, [
  async () => void (runtimeMs += await requestsTake(runtimeAgent, runtimePort, REQUESTS_PER_ROUND)),
  async () => void (baselineMs += await requestsTake(bareAgent, barePort, REQUESTS_PER_ROUND)),
]);

runtimeAgent.destroy();
bareAgent.destroy();
await runtime.close();
bare.closeAllConnections();
await new Promise<void>((resolve) => bare.close(() => resolve()));
const requests = ROUNDS * REQUESTS_PER_ROUND;
reportToParent({
  runtimeUs: (runtimeMs * 1000) / requests,
  baselineUs: (baselineMs * 1000) / requests,
} satisfies LocalRuntimeResult);
