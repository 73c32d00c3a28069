// A real webhook receiver for tests: a node:http server on 127.0.0.1 that verifies every request's
// Standard Webhooks signature with the `standardwebhooks` library and records what it accepted.
// Its behaviour can be switched mid-test: accept, answer 500, hang, redirect, answer 10 MB, or be
// down (the server closed; the port refuses connections) and come back on the same port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type ReceiverMode = 'ok' | 'error500' | 'hang' | 'redirect' | 'huge';

export interface Received {
  messageId: string;
  body: { type: string; timestamp: string; data: { watch: { id: string; name: string }; signal: { id: string; title: string } } };
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hook`. */
  readonly url: string;
  /** Accepted (2xx) deliveries with a valid signature, in arrival order. */
  readonly received: Received[];
  /** Every request that arrived, whatever the answer. */
  requests: number;
  /** Requests whose signature did not verify (answered 401). */
  badSignatures: number;
  mode: ReceiverMode;
  /** Secrets a signature may verify with (the endpoint's current one; add the new one on rotation). */
  secrets: string[];
  /** Closes the listening socket and every connection: the port refuses until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

const HUGE_BYTES = 10 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startWebhookReceiver(secrets: string[], options: { delayMs?: number } = {}): Promise<WebhookReceiver> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    requests: 0,
    badSignatures: 0,
    mode: 'ok',
    secrets,
    down: async () => {
      const closing = server;
      server = undefined;
      if (closing === undefined) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    up: async () => {
      if (server === undefined) await listen();
    },
    close: async () => receiver.down(),
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    receiver.requests += 1;
    const body = await readBody(request);
    if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const mode = receiver.mode;
    if (mode === 'hang') return; // never answers: the sender's timeout must end it
    if (mode === 'error500') return void response.writeHead(500).end('boom');
    if (mode === 'redirect') return void response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (mode === 'huge') {
      // A 10 MB answer, status 500, written in 64 KiB chunks for as long as the client reads.
      response.writeHead(500, { 'content-length': String(HUGE_BYTES) });
      const chunk = Buffer.alloc(64 * 1024, 120);
      let sent = 0;
      const pump = (): void => {
        while (sent < HUGE_BYTES && !response.destroyed) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        if (!response.destroyed) response.end();
      };
      pump();
      return;
    }
    const headers = {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    };
    const verified = receiver.secrets.some((secret) => {
      try {
        new Webhook(secret).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    });
    if (!verified) {
      receiver.badSignatures += 1;
      return void response.writeHead(401).end();
    }
    receiver.received.push({ messageId: headers['webhook-id'], body: JSON.parse(body) as Received['body'] });
    response.writeHead(204).end();
  }

  async function listen(): Promise<void> {
    const next = createServer((request, response) => void handle(request, response));
    next.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => next.listen(port, '127.0.0.1', () => resolve()));
    port = (next.address() as AddressInfo).port;
    server = next;
  }

  await listen();
  Object.assign(receiver, { url: `http://127.0.0.1:${String(port)}/hook` });
  return receiver;
}
