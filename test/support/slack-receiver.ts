// A stand-in for a Slack incoming webhook in tests: a node:http server on 127.0.0.1 that answers
// 200 `ok` as Slack does and keeps every message (Block Kit JSON) it got, in arrival order.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackMessageReceived {
  text: string;
  blocks: { type: string; text: { type: string; text: string } }[];
}

export interface SlackReceiver {
  /** `http://127.0.0.1:<port>/services/…`: stored directly (the API accepts only hooks.slack.com). */
  readonly url: string;
  readonly messages: SlackMessageReceived[];
  close(): Promise<void>;
}

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const messages: SlackMessageReceived[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      messages.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as SlackMessageReceived);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/services/T0TEST/B0TEST/secretpart`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
