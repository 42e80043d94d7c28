import ipaddr from 'ipaddr.js';

type Range = readonly [cidr: string, name: string];

/**
 * The IANA IPv4 Special-Purpose Address Registry (every entry, globally reachable or not: a webhook
 * receiver has no business at an anycast service address), plus multicast.
 */
const IPV4: readonly Range[] = [
  ['0.0.0.0/8', '"this network"'],
  ['10.0.0.0/8', 'private-use'],
  ['100.64.0.0/10', 'shared address space'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private-use'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation'],
  ['192.31.196.0/24', 'AS112'],
  ['192.52.193.0/24', 'AMT'],
  ['192.88.99.0/24', 'deprecated 6to4 relay anycast'],
  ['192.168.0.0/16', 'private-use'],
  ['192.175.48.0/24', 'AS112 direct delegation'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['255.255.255.255/32', 'limited broadcast'],
];

/**
 * The IANA IPv6 Special-Purpose Address Registry, plus every form that embeds an IPv4 address
 * (SPEC §9.5: a receiver could reach a private IPv4 host through them), site-local and multicast.
 * The first matching entry names the range, so the narrower ones come first.
 */
const IPV6: readonly Range[] = [
  ['::1/128', 'loopback'],
  ['::/128', 'unspecified'],
  ['::/96', 'IPv4-compatible'],
  ['::ffff:0:0/96', 'IPv4-mapped'],
  ['::ffff:0:0:0/96', 'IPv4-translated'],
  ['64:ff9b::/96', 'IPv4/IPv6 translation (NAT64)'],
  ['64:ff9b:1::/48', 'local-use IPv4/IPv6 translation'],
  ['100::/64', 'discard-only'],
  ['100:0:0:1::/64', 'dummy prefix'],
  ['2001::/32', 'Teredo (embeds IPv4)'],
  ['2001::/23', 'IETF protocol assignments'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', '6to4 (embeds IPv4)'],
  ['2620:4f:8000::/48', 'AS112 direct delegation'],
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'segment routing SIDs'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];

/** Only 2000::/3 is allocated for global unicast: anything else is reserved or special. */
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

const parsed = <T extends ipaddr.IPv4 | ipaddr.IPv6>(
  ranges: readonly Range[],
  parse: (c: string) => [T, number],
) => ranges.map(([cidr, name]) => ({ range: parse(cidr), name }));
const IPV4_RANGES = parsed(IPV4, (c) => ipaddr.IPv4.parseCIDR(c));
const IPV6_RANGES = parsed(IPV6, (c) => ipaddr.IPv6.parseCIDR(c));

/** ISATAP interface identifier (RFC 5214): `0:5efe` (u/g bits aside) then the IPv4 address. */
function isIsatap(address: ipaddr.IPv6): boolean {
  const parts = address.parts;
  return ((parts[4] ?? 0) & 0xfcff) === 0 && parts[5] === 0x5efe;
}

/**
 * The special-purpose range an IP address falls in (its name), or null for a public unicast
 * address. `address` must be in canonical textual form (as URLs and DNS answers give it).
 */
export function specialPurposeRange(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return 'not an IP address';
  }
  if (ip.kind() === 'ipv4') {
    const v4 = ip as ipaddr.IPv4;
    return IPV4_RANGES.find(({ range }) => v4.match(range))?.name ?? null;
  }
  const v6 = ip as ipaddr.IPv6;
  const named = IPV6_RANGES.find(({ range }) => v6.match(range))?.name;
  if (named) return named;
  if (!v6.match(GLOBAL_UNICAST)) return 'reserved (outside 2000::/3)';
  if (isIsatap(v6)) return 'ISATAP (embeds IPv4)';
  return null;
}
