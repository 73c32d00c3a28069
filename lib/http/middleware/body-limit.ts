// Rejects request bodies over a byte limit with 413, before anything else looks at them. The
// declared Content-Length is checked first (cheap, and exact behind API Gateway, whose adapter sets
// it from the real body); then the bytes are counted as they are read, because a local client can
// send a body without a length, or with a length that lies. hono/body-limit trusts a declared
// length and skips the count, so it does not meet the second half.
import type { MiddlewareHandler } from 'hono';
import { PayloadTooLargeError } from '../../errors.js';
import type { AppEnv } from '../env.js';

export interface BodyLimitOptions {
  /** Largest body accepted, in bytes; larger ones get 413. */
  maxBytes: number;
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`request body must be at most ${maxBytes} bytes`, { details: { maxBytes } });
}

/** Reads a whole stream, giving up (and releasing it) as soon as it passes `maxBytes`. */
async function readAtMost(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler<AppEnv> {
  const { maxBytes } = options;
  return async function bodyLimit(c, next) {
    const declared = c.req.header('content-length');
    if (declared !== undefined && /^\s*\d+\s*$/.test(declared) && Number(declared) > maxBytes) throw tooLarge(maxBytes);
    const stream = c.req.raw.body;
    if (stream !== null) {
      // The stream can be read only once: keep the counted bytes as the request's body, as
      // hono/body-limit does, so later steps read them without knowing this step ran.
      c.req.raw = new Request(c.req.raw, { body: await readAtMost(stream, maxBytes) });
    }
    await next();
  };
}
