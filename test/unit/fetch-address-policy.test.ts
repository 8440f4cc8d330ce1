import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ipaddr from 'ipaddr.js';
import { type AddressClass, classifyAddress, refuseAddress } from '../../src/util/address-policy.ts';

/** First and last address of a block, as strings. */
function ends(cidr: string): [string, string] {
  const [address] = ipaddr.parseCIDR(cidr);
  const family = address.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6;
  return [family.networkAddressFromCIDR(cidr).toString(), family.broadcastAddressFromCIDR(cidr).toString()];
}

/**
 * The IANA IPv4 and IPv6 special-purpose address registries (RFC 6890 and the RFCs that updated
 * them since), plus multicast, with the class a crawler must give each block. Blocks that the
 * registry marks globally reachable and that are not IPv4 in disguise (AS112, AMT) are public.
 */
const REGISTRY: Array<[cidr: string, expected: AddressClass, what: string]> = [
  ['0.0.0.0/8', 'unspecified', 'RFC 791 this network'],
  ['10.0.0.0/8', 'private', 'RFC 1918'],
  ['100.64.0.0/10', 'private', 'RFC 6598 shared address space'],
  ['127.0.0.0/8', 'loopback', 'RFC 1122 loopback'],
  ['169.254.0.0/16', 'link-local', 'RFC 3927 link local'],
  ['172.16.0.0/12', 'private', 'RFC 1918'],
  ['192.0.0.0/24', 'reserved', 'RFC 6890 IETF protocol assignments'],
  ['192.0.0.0/29', 'reserved', 'RFC 7335 DS-Lite'],
  ['192.0.0.170/31', 'reserved', 'RFC 7050 NAT64 discovery'],
  ['192.0.2.0/24', 'reserved', 'RFC 5737 TEST-NET-1'],
  ['192.31.196.0/24', 'public', 'RFC 7535 AS112-v4 (globally reachable)'],
  ['192.52.193.0/24', 'public', 'RFC 7450 AMT (globally reachable)'],
  ['192.88.99.0/24', 'reserved', 'RFC 7526 deprecated 6to4 relay anycast'],
  ['192.168.0.0/16', 'private', 'RFC 1918'],
  ['192.175.48.0/24', 'public', 'RFC 7534 AS112 direct delegation (globally reachable)'],
  ['198.18.0.0/15', 'reserved', 'RFC 2544 benchmarking'],
  ['198.51.100.0/24', 'reserved', 'RFC 5737 TEST-NET-2'],
  ['203.0.113.0/24', 'reserved', 'RFC 5737 TEST-NET-3'],
  ['224.0.0.0/4', 'multicast', 'RFC 5771 multicast'],
  ['240.0.0.0/4', 'reserved', 'RFC 1112 reserved'],
  ['255.255.255.255/32', 'reserved', 'RFC 919 limited broadcast'],
  ['::1/128', 'loopback', 'RFC 4291 loopback'],
  ['::/128', 'unspecified', 'RFC 4291 unspecified'],
  ['100::/64', 'reserved', 'RFC 6666 discard-only'],
  ['100:0:0:1::/64', 'reserved', 'RFC 9780 dummy prefix'],
  ['2001:1::1/128', 'reserved', 'RFC 7723 PCP anycast'],
  ['2001:1::2/128', 'reserved', 'RFC 8155 TURN anycast'],
  ['2001:2::/48', 'reserved', 'RFC 5180 benchmarking'],
  ['2001:3::/32', 'reserved', 'RFC 7450 AMT, inside the IETF protocol assignments block'],
  ['2001:4:112::/48', 'reserved', 'RFC 7535 AS112-v6, inside the IETF protocol assignments block'],
  ['2001:10::/28', 'reserved', 'RFC 4843 deprecated ORCHID'],
  ['2001:20::/28', 'reserved', 'RFC 7343 ORCHIDv2'],
  ['2001:30::/28', 'reserved', 'RFC 9374 drone remote ID tags'],
  ['2001:db8::/32', 'reserved', 'RFC 3849 documentation'],
  ['2620:4f:8000::/48', 'public', 'RFC 7534 AS112 direct delegation (globally reachable)'],
  ['3fff::/20', 'reserved', 'RFC 9637 documentation'],
  ['5f00::/16', 'reserved', 'RFC 9602 SRv6 segment identifiers'],
  ['fc00::/7', 'private', 'RFC 4193 unique local'],
  ['fe80::/10', 'link-local', 'RFC 4291 link-local unicast'],
  ['fec0::/10', 'private', 'RFC 3879 deprecated site-local'],
  ['ff00::/8', 'multicast', 'RFC 4291 multicast'],
  ['4000::/2', 'reserved', 'outside 2000::/3, never allocated for global unicast'],
];

describe('classifyAddress: the special-purpose registries', () => {
  for (const [cidr, expected, what] of REGISTRY) {
    it(`${cidr} (${what}) is ${expected}, from its first to its last address`, () => {
      for (const address of ends(cidr)) assert.equal(classifyAddress(address), expected, address);
    });
  }

  it('classes the addresses just outside the private and loopback blocks as public', () => {
    for (const address of ['9.255.255.255', '11.0.0.0', '100.63.255.255', '100.128.0.0', '126.255.255.255', '128.0.0.0', '172.15.255.255', '172.32.0.0', '192.167.255.255', '192.169.0.0', '223.255.255.255', '2606:4700:4700::1111', '2001:200::1']) {
      assert.equal(classifyAddress(address), 'public', address);
    }
  });

  it('reads zone ids and refuses what is not an address', () => {
    assert.equal(classifyAddress('fe80::1%eth0'), 'link-local');
    for (const text of ['not-an-address', '0x7f.1', '127.1', '']) assert.equal(classifyAddress(text), 'reserved', text);
  });
});

describe('classifyAddress: IPv6 forms that embed an IPv4 address', () => {
  /** IPv6 spellings of an IPv4 address `a.b.c.d`, one per way of embedding it. */
  const forms = (ipv4: string): Record<string, string> => {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4.split('.').map(Number);
    const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
    const inverted = (x: number, y: number) => (((x ^ 0xff) << 8) | (y ^ 0xff)).toString(16);
    return {
      'IPv4-mapped': `::ffff:${ipv4}`,
      'IPv4-mapped, hex': `::ffff:${hex(a, b)}:${hex(c, d)}`,
      'IPv4-compatible': `::${ipv4}`,
      'IPv4-translated': `::ffff:0:${ipv4}`,
      'NAT64 64:ff9b::/96': `64:ff9b::${ipv4}`,
      'NAT64 local-use /96 layout': `64:ff9b:1::${hex(a, b)}:${hex(c, d)}`,
      'NAT64 local-use /48 layout': `64:ff9b:1:${hex(a, b)}:${c.toString(16)}:${(d << 8).toString(16)}::`,
      '6to4': `2002:${hex(a, b)}:${hex(c, d)}::1`,
      'Teredo client': `2001:0:4136:e378:8000:63bf:${inverted(a, b)}:${inverted(c, d)}`,
      // Its client part is 93.184.216.34, inverted.
      'Teredo server': `2001:0:${hex(a, b)}:${hex(c, d)}:8000:63bf:a247:27dd`,
    };
  };

  for (const [ipv4, expected] of [['127.0.0.1', 'loopback'], ['10.1.2.3', 'private'], ['192.168.7.1', 'private'], ['169.254.169.254', 'link-local'], ['100.64.0.9', 'private']] as const) {
    it(`classes every embedding of ${ipv4} as ${expected}`, () => {
      for (const [form, address] of Object.entries(forms(ipv4))) {
        // The local-use prefix is read in every layout an operator may use, so another reading
        // may class it more strictly still; from a public seed it is refused either way.
        if (form.startsWith('NAT64 local-use')) assert.match(refuseAddress('public', address) ?? '', /refused/, `${form}: ${address}`);
        else assert.equal(classifyAddress(address), expected, `${form}: ${address}`);
      }
    });
  }

  it('classes the embeddings of a public IPv4 address as public', () => {
    for (const [form, address] of Object.entries(forms('93.184.216.34'))) {
      assert.equal(classifyAddress(address), 'public', `${form}: ${address}`);
    }
  });

  it('classes the addresses of the adversarial run as loopback', () => {
    for (const address of ['64:ff9b::7f00:1', '2002:7f00:1::', '::127.0.0.1']) assert.equal(classifyAddress(address), 'loopback', address);
  });
});

describe('refuseAddress', () => {
  it('lets a public seed reach public addresses only', () => {
    assert.equal(refuseAddress('public', '93.184.216.34'), undefined);
    for (const address of ['127.0.0.1', '10.0.0.5', '192.168.0.1', '169.254.169.254', 'fe80::1', '::1', '::ffff:127.0.0.1', 'fd00::1', '64:ff9b::a9fe:a9fe', '2002:a00:1::']) {
      assert.match(refuseAddress('public', address) ?? '', /from a public seed/, address);
    }
  });

  it('lets loopback and private seeds (tests, local mirrors) go anywhere reachable', () => {
    assert.equal(refuseAddress('loopback', '127.0.0.1'), undefined);
    assert.equal(refuseAddress('loopback', '93.184.216.34'), undefined);
    assert.equal(refuseAddress('private', '10.0.0.7'), undefined);
  });

  it('never connects to unspecified, multicast or reserved addresses', () => {
    for (const seed of ['public', 'loopback', 'private'] as const) {
      assert.match(refuseAddress(seed, '0.0.0.0') ?? '', /unspecified/);
      assert.match(refuseAddress(seed, '224.0.0.1') ?? '', /multicast/);
      assert.match(refuseAddress(seed, '::') ?? '', /unspecified/);
      assert.match(refuseAddress(seed, '2001:db8::1') ?? '', /reserved/);
    }
  });
});
