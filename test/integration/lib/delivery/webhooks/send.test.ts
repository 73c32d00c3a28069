// One delivery request against real local servers: 2xx is success; a redirect is a failure and is
// not followed; a 10 MB answer is cut off after the cap (the socket closed, the call quick); a hang
// ends at the timeout; outside the local stage a name resolving to a non-public address (as after
// DNS rebinding) is refused at connect, before any byte is sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSendAgents, send, type SendAgents, type SendTarget } from '../../../../../lib/delivery/webhooks/send.js';

describe('a delivery request', () => {
  let server: Server;
  let base: string;
  let agents: SendAgents;
  let requests = 0;
  let bytesWritten = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests += 1;
      request.resume();
      request.on('end', () => {
        if (request.url === '/ok') return void response.writeHead(204).end();
        if (request.url === '/redirect') return void response.writeHead(307, { location: '/ok' }).end();
        if (request.url === '/hang') return;
        if (request.url === '/huge') {
          response.writeHead(200);
          const chunk = Buffer.alloc(64 * 1024, 97);
          const pump = (): void => {
            while (bytesWritten < 10 * 1024 * 1024 && !response.destroyed) {
              bytesWritten += chunk.length;
              if (!response.write(chunk)) return void response.once('drain', pump);
            }
            response.end();
          };
          pump();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    agents = createSendAgents();
  });

  afterAll(async () => {
    agents.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function target(path: string, host = base): SendTarget {
    return { key: 't', url: `${host}${path}`, headers: ({ messageId }) => ({ 'webhook-id': messageId }) };
  }

  it('succeeds on a 2xx', async () => {
    const result = await send(target('/ok'), '{}', 'msg_1', { agents, timeoutMs: 2_000, publicOnly: false });
    expect(result).toMatchObject({ ok: true, status: 204 });
  });

  it('fails on a redirect without following it', async () => {
    const before = requests;
    const result = await send(target('/redirect'), '{}', 'msg_2', { agents, timeoutMs: 2_000, publicOnly: false });
    expect(result).toMatchObject({ ok: false, status: 307, endpointDown: false, error: 'HTTP 307: redirects are not followed' });
    expect(requests - before).toBe(1);
  });

  it('reads no more than the cap of a 10 MB answer', async () => {
    const started = Date.now();
    const result = await send(target('/huge'), '{}', 'msg_3', { agents, timeoutMs: 5_000, publicOnly: false, maxResponseBytes: 4096 });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('gives up on a hang at the timeout', async () => {
    const started = Date.now();
    const result = await send(target('/hang'), '{}', 'msg_4', { agents, timeoutMs: 300, publicOnly: false });
    expect(result).toMatchObject({ ok: false, endpointDown: true, error: 'timed out after 300 ms' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses a name that resolves to a non-public address at connect, outside the local stage', async () => {
    const before = requests;
    const port = new URL(base).port;
    const result = await send(target('/ok', `http://localhost:${port}`), '{}', 'msg_5', { agents, timeoutMs: 2_000, publicOnly: true });
    expect(result).toMatchObject({ ok: false, endpointDown: true, error: 'refused: the endpoint resolves to a non-public address' });
    expect(requests).toBe(before);
  });

  it('ends at once when the sweep is aborted', async () => {
    const controller = new AbortController();
    const pending = send(target('/hang'), '{}', 'msg_6', { agents, timeoutMs: 5_000, publicOnly: false, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, error: 'aborted (the sweep ran out of time)' });
  });
});
