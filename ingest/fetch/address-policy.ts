/**
 * Where a crawl may connect (pure). A page on the public web must not be able to steer the
 * crawler at the analyst's own network (a redirect or a link to 127.0.0.1, 10.x, 169.254.169.254
 * cloud metadata, fe80::…), so every connection is checked on the address it resolved to,
 * before connecting. Seeds on loopback or a private network are the user's own choice (a local
 * mirror, the tests), so their crawls may stay there.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

type Range = readonly [first: number, prefixBits: number, kind: AddressClass];

const ipv4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** IANA special-purpose IPv4 blocks that matter for where a request may land. */
const IPV4_RANGES: readonly Range[] = [
  [ipv4(0, 0, 0, 0), 8, 'unspecified'],
  [ipv4(10, 0, 0, 0), 8, 'private'],
  [ipv4(100, 64, 0, 0), 10, 'private'], // carrier-grade NAT, shared address space
  [ipv4(127, 0, 0, 0), 8, 'loopback'],
  [ipv4(169, 254, 0, 0), 16, 'link-local'],
  [ipv4(172, 16, 0, 0), 12, 'private'],
  [ipv4(192, 0, 0, 0), 24, 'reserved'],
  [ipv4(192, 168, 0, 0), 16, 'private'],
  [ipv4(198, 18, 0, 0), 15, 'reserved'],
  [ipv4(224, 0, 0, 0), 4, 'multicast'],
  [ipv4(240, 0, 0, 0), 4, 'reserved'],
];

function classifyIPv4(address: string): AddressClass {
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
  const value = ipv4(a, b, c, d);
  for (const [first, bits, kind] of IPV4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === first) return kind;
  }
  return 'public';
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail included). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1]!.split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function classifyIPv6(address: string): AddressClass {
  const g = ipv6Groups(address);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    if (g5 === 0xffff) return classifyIPv4(`${g6 >> 8}.${g6 & 255}.${g7 >> 8}.${g7 & 255}`); // ::ffff:a.b.c.d
    if (g5 === 0 && g6 === 0) return g7 === 0 ? 'unspecified' : g7 === 1 ? 'loopback' : 'reserved';
  }
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0 || (g0 & 0xfe00) === 0xfc00) return 'private'; // site-local, unique local
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** The class of an IP address; anything that is not an IP address is 'reserved' (never reached). */
export function classifyAddress(address: string): AddressClass {
  if (isIPv4(address)) return classifyIPv4(address);
  if (isIPv6(address)) return classifyIPv6(address);
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
