// A local stand-in for Neon's WebSocket proxy: each WebSocket carries the raw Postgres wire
// protocol, which is piped to a real PostgreSQL over TCP. It lets the real
// `@neondatabase/serverless` driver (Pool/Client over WebSocket) run unchanged against the
// machine's Postgres, so tests exercise the production code path, not a different driver.
//
// URL contract, read off @neondatabase/serverless 1.2: the driver opens
// `ws[s]://` + wsProxy(host, port). With a string wsProxy it appends `?address=<host>:<port>`;
// Neon's default is `<host>/v2` (no address: the proxy routes by host name). We therefore accept
// `/`, `/v1` and `/v2`, with or without `address`. The target is fixed: an `address` other than the
// configured Postgres is refused, so the bridge can never be used to open arbitrary connections.
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export interface NeonBridge {
  /** Interface the bridge listens on, as given (e.g. `127.0.0.1`). */
  host: string;
  /** Port the bridge listens on (the OS-chosen one when `port` was 0). */
  port: number;
  /** Bridged connections not yet fully closed (WebSocket or TCP side still open). */
  readonly connections: number;
  /** Stops listening and drops every open connection at once, as a dead network would. */
  close(): Promise<void>;
}

export interface NeonBridgeOptions {
  /** PostgreSQL host, the only target the bridge connects to. Default: `127.0.0.1`. */
  pgHost?: string;
  /** PostgreSQL port. Default: `5432`. */
  pgPort?: number;
  /** Interface to listen on. Default: `127.0.0.1`. */
  host?: string;
  /** Port to listen on. Default: `0`, a free port chosen by the OS. */
  port?: number;
}

// Paths the Neon driver and Neon's older wsproxy use; anything else is a misconfigured client.
const ACCEPTED_PATHS = new Set(['/', '/v1', '/v2']);
// RFC 6455 close codes: 1008 policy violation (refused target), 1011 server-side failure.
const CLOSE_CODE = { normal: 1000, refused: 1008, upstreamError: 1011 } as const;

export async function startNeonBridge(options: NeonBridgeOptions = {}): Promise<NeonBridge> {
  const pgHost = options.pgHost ?? '127.0.0.1';
  const pgPort = options.pgPort ?? 5432;
  const host = options.host ?? '127.0.0.1';
  const allowedAddress = `${pgHost}:${pgPort}`;
  const open = new Set<{ ws: WebSocket; tcp: Socket }>();

  const server = createServer((_req, res) => res.writeHead(426, { connection: 'close' }).end('WebSocket only'));
  const wss = new WebSocketServer({ server });
  // A malformed handshake or a reset mid-upgrade must not take the process down.
  server.on('clientError', (_error, socket) => socket.destroy());
  wss.on('error', () => undefined);

  wss.on('connection', (ws, req) => {
    ws.on('error', () => undefined); // 'close' always follows; that is where cleanup happens
    const refusal = refuse(req.url, allowedAddress);
    if (refusal) {
      ws.close(CLOSE_CODE.refused, refusal);
      return;
    }
    const tcp = connect({ host: pgHost, port: pgPort });
    tcp.setNoDelay(true);
    const pair = { ws, tcp };
    open.add(pair);
    let tcpClosed = false;
    let wsClosed = false;
    const settle = (): void => {
      if (tcpClosed && wsClosed) open.delete(pair);
    };

    // Writes before the TCP connect completes are buffered by node:net, so the driver's
    // pipelined startup message is not lost.
    ws.on('message', (data: RawData) => {
      if (!tcp.destroyed) tcp.write(toBuffer(data));
    });
    tcp.on('data', (chunk: Buffer) => {
      // The callback swallows send errors on a socket that is going away; 'close' handles it.
      if (ws.readyState === WebSocket.OPEN) ws.send(chunk, { binary: true }, () => undefined);
    });
    tcp.on('error', () => undefined); // 'close' (with hadError) follows
    tcp.on('close', (hadError) => {
      tcpClosed = true;
      if (ws.readyState === WebSocket.OPEN) {
        ws.close(hadError ? CLOSE_CODE.upstreamError : CLOSE_CODE.normal);
      }
      settle();
    });
    ws.on('close', () => {
      wsClosed = true;
      // end(), not destroy(): lets a Terminate message sent just before the close reach Postgres.
      tcp.end();
      settle();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const { port } = server.address() as AddressInfo;

  return {
    host,
    port,
    get connections() {
      return open.size;
    },
    close: async () => {
      for (const { ws, tcp } of open) {
        // terminate(): no close handshake, the client sees the socket drop (code 1006).
        ws.terminate();
        tcp.destroy();
      }
      open.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** Why a request must be refused, or undefined when it may be bridged to `allowedAddress`. */
function refuse(url: string | undefined, allowedAddress: string): string | undefined {
  // The base only makes a relative request URL parseable; its host is never used.
  const { pathname, searchParams } = new URL(url ?? '/', 'http://bridge.invalid');
  // Fixed reasons: a close reason is capped at 123 bytes, so it must not echo client input.
  if (!ACCEPTED_PATHS.has(pathname)) return 'unknown path';
  const address = searchParams.get('address');
  if (address !== null && address !== allowedAddress) return 'address not allowed';
  return undefined;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

// CLI for local development: `tsx infra/local/neon-bridge.ts`. A dev tool, so it reads its
// settings straight from the environment rather than through lib/config.ts.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const pgHost = process.env.PGHOST ?? '127.0.0.1';
  const pgPort = Number(process.env.PGPORT ?? 5432);
  const bridge = await startNeonBridge({ port: Number(process.env.NEON_BRIDGE_PORT ?? 4444), pgHost, pgPort });
  const url = `ws://${bridge.host}:${bridge.port}/v2`;
  console.log(JSON.stringify({ message: 'neon-bridge listening', url, pg: `${pgHost}:${pgPort}` }));
  const stop = (): void => void bridge.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
