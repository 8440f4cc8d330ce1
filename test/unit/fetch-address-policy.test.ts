import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAddress, refuseAddress } from '../../ingest/fetch/address-policy.ts';

describe('classifyAddress', () => {
  const cases: Array<[string, string]> = [
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.10', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['not-an-address', 'reserved'],
  ];
  for (const [address, expected] of cases) {
    it(`${address} is ${expected}`, () => assert.equal(classifyAddress(address), expected));
  }
});

describe('refuseAddress', () => {
  it('lets a public seed reach public addresses only', () => {
    assert.equal(refuseAddress('public', '93.184.216.34'), undefined);
    for (const address of ['127.0.0.1', '10.0.0.5', '192.168.0.1', '169.254.169.254', 'fe80::1', '::1', '::ffff:127.0.0.1', 'fd00::1']) {
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
    }
  });
});
