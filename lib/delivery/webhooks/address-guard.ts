// Server-side request forgery guard for outgoing deliveries: an endpoint must resolve only to
// public unicast addresses. Checked twice: when the endpoint is set (every address its name
// resolves to) and at every send, inside the connection's own DNS lookup, so the address checked is
// the address connected to — a name that later re-resolves to 127.0.0.1 or the metadata service
// (DNS rebinding) is refused at connect time. The local stage skips the check (receivers there
// are on localhost).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Ranges that are not public unicast (RFC 6890 special-purpose registries, the useful part). */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including the cloud metadata service 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (ULA), including fd00:ec2::254 (metadata over IPv6)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, compatible ::a.b.c.d). */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::|::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted?.[1] !== undefined) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex?.[1] === undefined || hex[2] === undefined) return undefined;
  const high = Number.parseInt(hex[1], 16);
  const low = Number.parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether `address` (an IP literal) is public unicast; anything unparseable counts as not. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !BLOCKED.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address);
  if (v4 !== undefined) return isIP(v4) === 4 && !BLOCKED.check(v4, 'ipv4');
  // 6to4 (2002::/16) and Teredo (2001::/32) tunnel to IPv4 addresses we cannot see here: refused.
  const lower = address.toLowerCase();
  if (lower.startsWith('2002:') || /^2001:0{0,4}:/.test(lower)) return false;
  return !BLOCKED.check(address, 'ipv6');
}

/** Thrown when an endpoint's name resolves to an address that is not public. */
export class ForbiddenAddressError extends Error {
  constructor(readonly host: string, readonly address: string) {
    super(`${host} resolves to a non-public address`);
    this.name = 'ForbiddenAddressError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type LookupOptions = { all?: boolean; family?: number | string; hints?: number };

/**
 * A `lookup` for http.request / net.connect that resolves like the default and refuses the
 * connection when any address is not public. Handed to the socket, so there is no window between
 * the check and the connect.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true } as { all: true }, (error, addresses) => {
    if (error !== null) {
      callback(error, []);
      return;
    }
    const bad = addresses.find((entry) => !isPublicAddress(entry.address));
    if (bad !== undefined) {
      callback(Object.assign(new ForbiddenAddressError(hostname, bad.address), { code: 'EFORBIDDENADDRESS' }), []);
      return;
    }
    if (options.all === true) callback(null, addresses);
    else {
      const [first] = addresses;
      if (first === undefined) callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      else callback(null, first.address, first.family);
    }
  });
}

/** Every address `hostname` resolves to (an IP literal is its own), for the check when an endpoint is set. */
export async function resolveAll(hostname: string): Promise<string[]> {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (isIP(bare) !== 0) return [bare];
  const { lookup } = await import('node:dns/promises');
  const addresses = await lookup(bare, { all: true, verbatim: true });
  return addresses.map((entry) => entry.address);
}
