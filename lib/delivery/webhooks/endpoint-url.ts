// What URL a webhook may be set to. Outside the local stage: https only, no credentials in it, and
// every address its host resolves to public (address-guard.ts) — checked here when it is set, and
// again at every send (the resolved address may change). On the local stage http:// and local
// addresses are allowed, so `npm start` can deliver to a receiver on the developer's machine.
import { isPublicAddress, resolveAll } from './address-guard.js';

/** The longest URL stored (the schema's bound). */
export const MAX_ENDPOINT_URL_LENGTH = 2048;
/** Budget of the DNS look-up when an endpoint is set, ms. */
const RESOLVE_TIMEOUT_MS = 3_000;

export interface EndpointPolicy {
  /** Local stage: http:// and non-public addresses allowed. */
  local: boolean;
  /** Resolves a host to its addresses (default: the system resolver). Tests pass their own. */
  resolve?: (host: string) => Promise<string[]>;
}

/** The URL to store, or why it is refused (a sentence for the 400). */
export type EndpointCheck = { ok: true; url: string } | { ok: false; reason: string };

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function checkEndpointUrl(raw: string, policy: EndpointPolicy): Promise<EndpointCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'must be an absolute URL' };
  }
  if (url.protocol !== 'https:' && !(policy.local && url.protocol === 'http:')) return { ok: false, reason: 'must be an https:// URL' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not carry credentials' };
  url.hash = '';
  const normalised = url.toString();
  if (normalised.length > MAX_ENDPOINT_URL_LENGTH) return { ok: false, reason: `must be at most ${String(MAX_ENDPOINT_URL_LENGTH)} characters` };
  if (policy.local) return { ok: true, url: normalised };

  let addresses: string[];
  try {
    addresses = await withTimeout((policy.resolve ?? resolveAll)(url.hostname), RESOLVE_TIMEOUT_MS);
  } catch {
    return { ok: false, reason: 'its host does not resolve' };
  }
  if (addresses.length === 0) return { ok: false, reason: 'its host does not resolve' };
  if (!addresses.every(isPublicAddress)) return { ok: false, reason: 'must not resolve to a private, loopback, link-local or other non-public address' };
  return { ok: true, url: normalised };
}
