// Ensures textual addresses become the network-order bytes netifyd hashes and classifies.
import { describe, expect, it } from 'vitest';
import { parseCidr, parseIp, parseMac } from '../../src/flow/ip-address.js';

const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : undefined);

describe('parseIp', () => {
  it('parses IPv4', () => {
    expect(hex(parseIp('140.82.114.4'))).toBe('8c527204');
    expect(hex(parseIp('0.0.0.0'))).toBe('00000000');
    expect(hex(parseIp('255.255.255.255'))).toBe('ffffffff');
  });

  it('rejects malformed IPv4', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', 'a.b.c.d', '1.2.3.4 ']) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });

  it('parses IPv6 in full, compressed and IPv4-embedded forms', () => {
    expect(hex(parseIp('2a00:1450:4001:803::1017'))).toBe('2a001450400108030000000000001017');
    expect(hex(parseIp('::'))).toBe('0'.repeat(32));
    expect(hex(parseIp('::1'))).toBe(`${'0'.repeat(31)}1`);
    expect(hex(parseIp('fe80::'))).toBe(`fe80${'0'.repeat(28)}`);
    expect(hex(parseIp('1:2:3:4:5:6:7:8'))).toBe('00010002000300040005000600070008');
    expect(hex(parseIp('::ffff:192.0.2.1'))).toBe('00000000000000000000ffffc0000201');
    expect(hex(parseIp('FF02::FB'))).toBe(`ff02${'0'.repeat(26)}fb`);
  });

  it('rejects malformed IPv6', () => {
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7::8', ':::', '::ffff:1.2.3']) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });
});

describe('parseCidr', () => {
  it('parses addresses and networks', () => {
    expect(parseCidr('192.168.1.0/24')).toEqual({ bytes: parseIp('192.168.1.0'), prefix: 24 });
    expect(parseCidr('10.1.2.3')).toEqual({ bytes: parseIp('10.1.2.3'), prefix: 32 });
    expect(parseCidr('2001:db8::/32')?.prefix).toBe(32);
    expect(parseCidr('::/0')?.prefix).toBe(0);
  });

  it('rejects bad lengths and addresses', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/x', '::/129', 'nope/8', '10.0.0.0/-1']) expect(parseCidr(bad), bad).toBeUndefined();
  });
});

describe('parseMac', () => {
  it('parses colon-separated MACs in any case', () => {
    expect(hex(parseMac('28:37:37:00:6D:C8'))).toBe('283737006dc8');
    expect(parseMac('28-37-37-00-6d-c8')).toBeUndefined();
    expect(parseMac('28:37:37:00:6d')).toBeUndefined();
  });
});
