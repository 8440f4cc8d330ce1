/**
 * Where a crawl may connect (pure). A page on the public web must not be able to steer the
 * crawler at the analyst's own network (a redirect or a link to 127.0.0.1, 10.x, 169.254.169.254
 * cloud metadata, fe80::…), so every connection is checked on the address it resolved to,
 * before connecting. Seeds on loopback or a private network are the user's own choice (a local
 * mirror, the tests), so their crawls may stay there.
 *
 * Addresses are parsed and matched with ipaddr.js against the IANA special-purpose registries
 * (RFC 6890 and its successors). An IPv6 address that carries an IPv4 address (IPv4-mapped,
 * IPv4-compatible, IPv4-translated, NAT64, 6to4, Teredo) reaches that IPv4 host through a
 * translator or tunnel, so it is classed as the IPv4 address it embeds: `64:ff9b::7f00:1` is
 * loopback, not public.
 */
import { isIPv4, isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';

export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
const cidrs = (...ranges: string[]): Cidr[] => ranges.map((range) => ipaddr.parseCIDR(range));

/**
 * IPv4, first match wins (more specific blocks first). Blocks of the registry that are globally
 * reachable (AS112, AMT, 192.0.0.9 and .10 anycast) stay public, except inside 192.0.0.0/24,
 * which is refused whole: a crawler has no business with IETF protocol assignments.
 */
const IPV4_CLASSES: Array<[AddressClass, Cidr[]]> = [
  ['unspecified', cidrs('0.0.0.0/8')], // RFC 791 "this network" (RFC 6890 §2.2.2)
  ['private', cidrs('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16')], // RFC 1918
  ['private', cidrs('100.64.0.0/10')], // RFC 6598 shared address space (carrier-grade NAT)
  ['loopback', cidrs('127.0.0.0/8')], // RFC 1122
  ['link-local', cidrs('169.254.0.0/16')], // RFC 3927
  ['reserved', cidrs('192.0.0.0/24')], // RFC 6890 IETF protocol assignments (DS-Lite, NAT64 discovery, …)
  ['reserved', cidrs('192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24')], // RFC 5737 documentation
  ['reserved', cidrs('192.88.99.0/24')], // RFC 7526 deprecated 6to4 relay anycast
  ['reserved', cidrs('198.18.0.0/15')], // RFC 2544 benchmarking
  ['multicast', cidrs('224.0.0.0/4')], // RFC 5771
  ['reserved', cidrs('240.0.0.0/4')], // RFC 1112 reserved, and 255.255.255.255 limited broadcast (RFC 919)
];

/** IPv6 blocks that are not an IPv4 address in disguise; first match wins. */
const IPV6_CLASSES: Array<[AddressClass, Cidr[]]> = [
  ['unspecified', cidrs('::/128')], // RFC 4291
  ['loopback', cidrs('::1/128')], // RFC 4291
  ['reserved', cidrs('100::/64')], // RFC 6666 discard-only
  ['reserved', cidrs('100:0:0:1::/64')], // RFC 9780 dummy prefix
  ['reserved', cidrs('2001:db8::/32', '3fff::/20')], // RFC 3849, RFC 9637 documentation
  // RFC 2928 IETF protocol assignments: benchmarking (2001:2::/48), ORCHID (2001:10::/28,
  // 2001:20::/28), drone tags (2001:30::/28), anycast services. Teredo (2001::/32) is matched first.
  ['reserved', cidrs('2001::/23')],
  ['reserved', cidrs('5f00::/16')], // RFC 9602 SRv6 segment identifiers
  ['private', cidrs('fc00::/7')], // RFC 4193 unique local
  ['link-local', cidrs('fe80::/10')], // RFC 4291
  ['private', cidrs('fec0::/10')], // RFC 3879 deprecated site-local
  ['multicast', cidrs('ff00::/8')], // RFC 4291
];

/** IANA allocates global unicast from 2000::/3 only: anything else outside the table is unassigned. */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

function classifyV4(address: ipaddr.IPv4): AddressClass {
  for (const [kind, ranges] of IPV4_CLASSES) if (ranges.some((range) => address.match(range))) return kind;
  return 'public';
}

const v4 = (bytes: readonly number[]) => new ipaddr.IPv4([...bytes]);

/**
 * RFC 6052 §2.2: where a translation prefix of `prefixBits` puts the IPv4 address (bits 64–71,
 * the "u" octet, are skipped).
 */
function rfc6052Embedded(bytes: readonly number[], prefixBits: 48 | 56 | 64 | 96): ipaddr.IPv4 {
  if (prefixBits === 96) return v4(bytes.slice(12, 16));
  const start = prefixBits / 8;
  return v4([...bytes.slice(start, 8), ...bytes.slice(9, 9 + (4 - (8 - start)))]);
}

/** The IPv4 addresses an IPv6 address leads to, or undefined when it embeds none. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] | undefined {
  const bytes = address.toByteArray();
  const inRange = (range: string) => address.match(ipaddr.parseCIDR(range));
  if (inRange('::ffff:0:0/96')) return [v4(bytes.slice(12))]; // RFC 4291 IPv4-mapped
  if (inRange('::ffff:0:0:0/96')) return [v4(bytes.slice(12))]; // RFC 6145 IPv4-translated
  // RFC 4291 IPv4-compatible (deprecated); :: and ::1 are themselves, not 0.0.0.0 and 0.0.0.1.
  if (inRange('::/96') && !inRange('::/127')) return [v4(bytes.slice(12))];
  if (inRange('64:ff9b::/96')) return [v4(bytes.slice(12))]; // RFC 6052 well-known NAT64 prefix
  // RFC 8215 local-use NAT64: the operator picks the prefix length, so every layout that fits is checked.
  if (inRange('64:ff9b:1::/48')) return ([48, 56, 64, 96] as const).map((bits) => rfc6052Embedded(bytes, bits));
  if (inRange('2002::/16')) return [v4(bytes.slice(2, 6))]; // RFC 3056 6to4
  if (inRange('2001::/32')) {
    // RFC 4380 Teredo: the server's address, and the client's (stored inverted).
    return [v4(bytes.slice(4, 8)), v4(bytes.slice(12, 16).map((byte) => byte ^ 0xff))];
  }
  return undefined;
}

/** Of several classes an address may reach, the one that allows the least ('public' only if all are). */
function strictest(classes: AddressClass[]): AddressClass {
  const order: AddressClass[] = ['unspecified', 'reserved', 'multicast', 'loopback', 'link-local', 'private', 'public'];
  return order.find((kind) => classes.includes(kind)) ?? 'reserved';
}

function classifyV6(address: ipaddr.IPv6): AddressClass {
  const embedded = embeddedIPv4(address)?.map(classifyV4);
  if (embedded) {
    // A layout the operator does not use reads zeros (0.0.0.0/8): only the other readings count.
    const meaningful = embedded.filter((kind) => kind !== 'unspecified');
    return strictest(meaningful.length > 0 ? meaningful : embedded);
  }
  for (const [kind, ranges] of IPV6_CLASSES) if (ranges.some((range) => address.match(range))) return kind;
  return address.match(GLOBAL_UNICAST) ? 'public' : 'reserved';
}

/** The class of an IP address; anything that is not an IP address is 'reserved' (never reached). */
export function classifyAddress(address: string): AddressClass {
  // node:net decides what is an address (ipaddr.js alone would also take "0x7f.1" or "127.1").
  if (isIPv4(address)) return classifyV4(ipaddr.IPv4.parse(address));
  if (isIPv6(address)) return classifyV6(ipaddr.IPv6.parse(address));
  return 'reserved';
}

/**
 * Why a connection to `address` is refused during a crawl whose seed resolved to `seed`, or
 * undefined when it is allowed. Nothing ever connects to an unspecified, multicast or reserved
 * address; a public seed only ever leads to public addresses.
 */
export function refuseAddress(seed: AddressClass, address: string): string | undefined {
  const target = classifyAddress(address);
  if (target === 'unspecified' || target === 'multicast' || target === 'reserved') {
    return `refused to connect to ${address}: a ${target} address`;
  }
  if (seed === 'public' && target !== 'public') {
    return `refused to connect to ${address}: a ${target} address reached from a public seed`;
  }
  return undefined;
}
