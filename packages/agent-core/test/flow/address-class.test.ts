// Ensures addresses are classed as netifyd does (FORMATS §3.2): special IPv4 values,
// interface networks (longest prefix, any interface) before the global table.
import { describe, expect, it } from 'vitest';
import { AddressClassifier } from '../../src/flow/address-class.js';
import { parseIp } from '../../src/flow/ip-address.js';
import { PrefixTable } from '../../src/flow/prefix-table.js';

describe('PrefixTable', () => {
  it('finds the longest matching prefix for IPv4 and IPv6', () => {
    const table = new PrefixTable<string>();
    const add = (cidr: string, value: string) => {
      const [address, length] = cidr.split('/');
      table.insert(parseIp(address!)!, Number(length), value);
    };
    add('10.0.0.0/8', 'eight');
    add('10.1.0.0/16', 'sixteen');
    add('10.1.2.3/32', 'host');
    add('0.0.0.0/0', 'default');
    add('2001:db8::/32', 'doc');
    add('2001:db8:1:2::/63', 'sixty-three');
    expect(table.lookup(parseIp('10.1.2.3')!)).toBe('host');
    expect(table.lookup(parseIp('10.1.9.9')!)).toBe('sixteen');
    expect(table.lookup(parseIp('10.200.0.1')!)).toBe('eight');
    expect(table.lookup(parseIp('11.0.0.1')!)).toBe('default');
    expect(table.lookup(parseIp('2001:db8:1:3::1')!)).toBe('sixty-three');
    expect(table.lookup(parseIp('2001:db8:1:4::1')!)).toBe('doc');
    expect(table.lookup(parseIp('2001:db9::1')!)).toBeUndefined();
    add('10.1.0.0/16', 'replaced');
    expect(table.lookup(parseIp('10.1.9.9')!)).toBe('replaced');
    expect(table.size).toBe(6);
  });
});

describe('AddressClassifier', () => {
  const classify = (classifier: AddressClassifier, text: string) => classifier.classify(parseIp(text));

  it('classes by the global table without interface networks', () => {
    const classifier = new AddressClassifier();
    const expected: Record<string, string> = {
      '0.0.0.0': 'local', '255.255.255.255': 'broadcast', '127.0.0.1': 'reserved', '10.2.3.4': 'reserved',
      '100.64.1.1': 'reserved', '172.31.255.1': 'reserved', '172.32.0.1': 'other', '192.168.1.13': 'reserved',
      '169.254.255.255': 'broadcast', '169.254.1.1': 'other', '224.0.0.251': 'multicast', '239.255.255.250': 'multicast',
      '140.82.114.4': 'other', '::1': 'reserved', 'fd00::1': 'reserved', 'fe80::1': 'reserved', 'ff02::fb': 'multicast',
      '2a00:1450:4001:803::1017': 'other', '::': 'other',
    };
    for (const [address, type] of Object.entries(expected)) expect(classify(classifier, address), address).toBe(type);
    expect(classifier.classify(undefined)).toBe('error');
  });

  it('interface networks make addresses local before the global table, with longest prefix', () => {
    const classifier = new AddressClassifier();
    classifier.addLocal('192.168.1.0/24', '-A of eth0');
    classifier.addLocal('140.82.0.0/16', '-A of eth1');
    classifier.addLocal('2001:db8::/48', '-A of eth1');
    classifier.addBroadcast('192.168.1.255', 'broadcast address of eth0');
    expect(classify(classifier, '192.168.1.13')).toBe('local');
    expect(classify(classifier, '192.168.2.13')).toBe('reserved');
    expect(classify(classifier, '192.168.1.255')).toBe('broadcast');
    expect(classify(classifier, '140.82.114.4')).toBe('local');
    expect(classify(classifier, '2001:db8::5')).toBe('local');
    expect(classify(classifier, '0.0.0.0')).toBe('local');
  });

  it('takes MAC addresses given with -A as reserved MACs', () => {
    const classifier = new AddressClassifier();
    classifier.addLocal('AA:BB:CC:00:11:22', '-A of eth0');
    expect(classifier.isReservedMac('aa:bb:cc:00:11:22')).toBe(true);
    expect(classifier.isReservedMac('aa:bb:cc:00:11:23')).toBe(false);
  });

  it('rejects a bad network with one clear error naming the value and where it came from', () => {
    const classifier = new AddressClassifier();
    expect(() => classifier.addLocal('192.168.1.0/40', '-A of eth0')).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_CIDR', message: '-A of eth0: "192.168.1.0/40" is not a network; expected ADDR[/LEN] (IPv4 or IPv6) or a MAC address' }),
    );
    expect(() => classifier.addBroadcast('nope', 'broadcast address of eth0')).toThrow(expect.objectContaining({ code: 'ERR_BAD_CIDR' }));
  });
});
