import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may not reach unless the operator allows private targets
 * (TASKPROC_WEBHOOK_ALLOW_PRIVATE): loopback, private, link-local, carrier-grade NAT, unique
 * local, unspecified, multicast and reserved ranges. Without this, any app could make the
 * coordinator call services behind the firewall (SSRF). IPv4-mapped IPv6 addresses
 * (::ffff:10.0.0.1) match the IPv4 rules.
 */
const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", includes 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes 255.255.255.255
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}

/** True when `address` (an IP literal) is loopback, private or otherwise not public. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A webhook target refused because it resolves to a forbidden address. */
export class ForbiddenTargetError extends Error {
  override name = 'ForbiddenTargetError';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      host === address
        ? `${host} is a private or loopback address`
        : `${host} resolves to ${address}, a private or loopback address`,
    );
  }
}

/** The host of a URL as a lookup takes it: IPv6 literals without their brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

/** dns.lookup with every address: what the system resolver (and /etc/hosts) answers. */
export const lookupAll: LookupAll = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/**
 * Throws ForbiddenTargetError when the URI's host is, or resolves to, any forbidden address.
 * A name that does not resolve throws the resolver's error: the caller decides what that means.
 */
export async function checkWebhookTarget(uri: string, lookup: LookupAll = lookupAll): Promise<void> {
  const host = hostOf(new URL(uri));
  if (isIP(host) !== 0) {
    if (isForbiddenAddress(host)) throw new ForbiddenTargetError(host, host);
    return;
  }
  for (const { address } of await lookup(host)) {
    if (isForbiddenAddress(address)) throw new ForbiddenTargetError(host, address);
  }
}
