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

/** A proxy to `targetUrl`'s host and port that holds each chunk from the client for `delayMs`. */
export function startDelayProxy(targetUrl: string, delayMs: number): Promise<FaultServer> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host: target.hostname, port: Number(target.port) });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    // Chunks keep their order: each is written delayMs after it arrived.
    client.on('data', (chunk: Buffer) => {
      setTimeout(() => {
        if (!upstream.destroyed) upstream.write(chunk);
      }, delayMs);
    });
    upstream.pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', () => setTimeout(() => upstream.destroy(), delayMs + 10));
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
