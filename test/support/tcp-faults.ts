// Real network faults for the fault tests and the bench, in front of a real server: a TCP proxy
// that delays every chunk the client sends by a fixed time (a slow link: the request reaches the
// server that much later, so work it triggers happens after the client's budget), and a black hole
// that accepts connections, reads what is sent and never answers (a hung server).
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface FaultServer {
  /** `http://127.0.0.1:<port>`: where clients connect instead of the real server. */
  url: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>, counter: { accepted: number }): Promise<FaultServer> {
  server.on('connection', (socket: Socket) => {
    counter.accepted += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    get accepted() {
      return counter.accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface DelayProxyOptions {
  /** Delay only the first this many connections; later ones pass at once. Default: all. */
  delayedConnections?: number;
  /**
   * Hold only what arrives in a connection's first `delayMs` (until then, then pass everything at
   * once): the cost of setting a connection up (DNS, TCP, TLS), paid once, not a slow link.
   * Default false.
   */
  setupOnly?: boolean;
}

/** A proxy to `targetUrl`'s host and port that holds each chunk from the client for `delayMs`. */
export function startDelayProxy(targetUrl: string, delayMs: number, options: DelayProxyOptions = {}): Promise<FaultServer> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    connections += 1;
    const holdMs = connections <= (options.delayedConnections ?? Infinity) ? delayMs : 0;
    const openUntil = performance.now() + holdMs;
    const upstream = connect({ host: target.hostname, port: Number(target.port) });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    // Chunks keep their order: each is written delayMs after it arrived.
    client.on('data', (chunk: Buffer) => {
      const wait = options.setupOnly === true ? openUntil - performance.now() : holdMs;
      if (wait <= 0) {
        upstream.write(chunk);
        return;
      }
      setTimeout(() => {
        if (!upstream.destroyed) upstream.write(chunk);
      }, wait);
    });
    upstream.pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', () => setTimeout(() => upstream.destroy(), holdMs + 10));
    client.once('error', drop);
    upstream.once('error', drop);
  });
  return listen(server, sockets, { accepted: 0 });
}

/** A server that accepts, reads and never answers. */
export function startBlackHole(): Promise<FaultServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    socket.resume(); // read (and drop) everything, so a client's close is seen
    socket.on('error', () => socket.destroy());
  });
  return listen(server, sockets, { accepted: 0 });
}
