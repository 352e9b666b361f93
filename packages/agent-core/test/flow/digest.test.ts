// Ensures the flow digest is netifyd's pre-DPI SHA-1 (FORMATS §4.1), including its test
// vector and the lower-MAC rule for 0.0.0.0 → 255.255.255.255.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { flowDigest, type DigestInput } from '../../src/flow/digest.js';
import { parseIp, parseMac } from '../../src/flow/ip-address.js';

const github: DigestInput = {
  interfaceName: 'offline0',
  ipVersion: 4,
  ipProtocol: 6,
  vlanId: 0,
  lowerAddress: parseIp('140.82.114.4')!,
  upperAddress: parseIp('192.168.1.13')!,
  lowerMac: undefined,
  lowerPort: 443,
  upperPort: 55744,
};

describe('flowDigest', () => {
  it('matches the FORMATS test vector', () => {
    expect(flowDigest(github)).toBe('6bbc92483adc2d1bb65ef2afa5c1c07e1cb991fc');
  });

  it('depends on interface, VLAN, ports and addresses, and ignores the MAC of ordinary flows', () => {
    const base = flowDigest(github);
    expect(flowDigest({ ...github, interfaceName: 'offline1' })).not.toBe(base);
    expect(flowDigest({ ...github, vlanId: 5 })).not.toBe(base);
    expect(flowDigest({ ...github, upperPort: 55745 })).not.toBe(base);
    expect(flowDigest({ ...github, ipProtocol: 17 })).not.toBe(base);
    expect(flowDigest({ ...github, lowerMac: parseMac('10:13:31:f1:39:76') })).toBe(base);
  });

  it('hashes interface, version, protocol, VLAN (little-endian), addresses, ports (big-endian) in that order', () => {
    const bytes = Buffer.concat([
      Buffer.from('eth0'),
      Buffer.from([4, 17, 0x02, 0x01]),
      Buffer.from([10, 0, 0, 1, 10, 0, 0, 2]),
      Buffer.from([0x00, 0x35, 0xc0, 0x01]),
    ]);
    const expected = createHash('sha1').update(bytes).digest('hex');
    const input: DigestInput = {
      interfaceName: 'eth0', ipVersion: 4, ipProtocol: 17, vlanId: 0x0102,
      lowerAddress: parseIp('10.0.0.1')!, upperAddress: parseIp('10.0.0.2')!, lowerMac: undefined, lowerPort: 53, upperPort: 0xc001,
    };
    expect(flowDigest(input)).toBe(expected);
  });

  it('adds the lower MAC for 0.0.0.0 → 255.255.255.255, keeping DHCP DISCOVERs apart', () => {
    const discover: DigestInput = {
      interfaceName: 'offline0',
      ipVersion: 4,
      ipProtocol: 17,
      vlanId: 0,
      lowerAddress: parseIp('0.0.0.0')!,
      upperAddress: parseIp('255.255.255.255')!,
      lowerMac: parseMac('00:11:22:33:44:55'),
      lowerPort: 68,
      upperPort: 67,
    };
    const other = flowDigest({ ...discover, lowerMac: parseMac('00:11:22:33:44:56') });
    expect(flowDigest(discover)).not.toBe(other);
    expect(flowDigest(discover)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('handles IPv6 flows', () => {
    const v6 = flowDigest({ ...github, ipVersion: 6, lowerAddress: parseIp('2a00::1')!, upperAddress: parseIp('2a00::2')! });
    expect(v6).toMatch(/^[0-9a-f]{40}$/);
    expect(v6).not.toBe(flowDigest(github));
  });
});
