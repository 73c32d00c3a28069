// Security headers for HTML pages. The app's chain (lib/http/middleware/security-headers.ts) sets
// a CSP for JSON that allows nothing; a page needs its stylesheet and its forms, so this replaces
// that CSP on every response of the web function: same-origin styles, images as same-origin or
// inline SVG data, forms posting only to us, no framing, no <base>, and scripts only with this
// request's nonce (`c.var.cspNonce`) or from our own hashed assets. The pages themselves use no
// script; the nonce is there for a page that needs one, which must carry `nonce="…"`.
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/index.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** This request's CSP nonce (base64, 128 bits): put it on any inline <script> or <style>. */
    cspNonce: string;
  }
}

/** The CSP of a page answered with `nonce`. */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function pageSecurityHeaders(): MiddlewareHandler<AppEnv> {
  return async function pageSecurityHeaders(c, next) {
    const nonce = newNonce();
    c.set('cspNonce', nonce);
    await next();
    c.res.headers.set('Content-Security-Policy', pageCsp(nonce));
  };
}
