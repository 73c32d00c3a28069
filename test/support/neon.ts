// Points the real `@neondatabase/serverless` driver at a local neon-bridge, so integration tests
// run the production WebSocket code path against the machine's PostgreSQL.
import { neonConfig } from '@neondatabase/serverless';
import { WebSocket } from 'ws';
import type { NeonBridge } from '../../infra/local/neon-bridge.js';

/**
 * Configures the driver globally (neonConfig is process-wide) to reach Postgres through `bridge`.
 * Call once per test file, before the first Pool connects.
 */
export function useNeonBridge(bridge: NeonBridge): void {
  // Node 20 has no global WebSocket; the driver takes any constructor with the browser API.
  neonConfig.webSocketConstructor = WebSocket;
  // Like Neon's own proxy, the bridge decides the target itself, so the connection string's
  // host and port are only names and are ignored here.
  neonConfig.wsProxy = () => `${bridge.host}:${bridge.port}/v2`;
  // Plain ws:// and no Postgres TLS: everything stays on the loopback interface.
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  // Pipelining sends a cleartext password before the server asks for one; the local Postgres
  // uses trust auth and never asks, so the pipelined message would be a protocol error.
  neonConfig.pipelineConnect = false;
}

/**
 * A connection string for the bridged database. The host is never resolved (see wsProxy above);
 * trust auth, because the driver's SCRAM in JavaScript costs ~0.7 s per new connection.
 */
export function neonBridgeDatabaseUrl(database = 'test'): string {
  return `postgres://postgres@neon-bridge.localhost:5432/${database}`;
}
