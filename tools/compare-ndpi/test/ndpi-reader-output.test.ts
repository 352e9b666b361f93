import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNdpiReaderOutput, readNdpiReaderOutput } from '../src/ndpi-reader-output.js';
import { corpusAvailable, expectedDir } from './corpus.js';

const expectedFile = (name: string): string => join(expectedDir, name);

describe.skipIf(!corpusAvailable)('ndpiReader 4.2 output parser on the reference files', () => {
  it('parses all 177 files; each file agrees with its own per-protocol summary (flows, packets, bytes)', async () => {
    const files = readdirSync(expectedDir).filter((name) => name.endsWith('.out'));
    expect(files).toHaveLength(177);
    let totalFlows = 0;
    for (const file of files) {
      const { flows, protocolSummary } = await readNdpiReaderOutput(expectedFile(file));
      const sum = (pick: (row: (typeof protocolSummary)[number]) => number): number =>
        protocolSummary.reduce((total, row) => total + pick(row), 0);
      const packets = flows.reduce((total, f) => total + f.srcToDstPackets + f.dstToSrcPackets, 0);
      const bytes = flows.reduce((total, f) => total + f.srcToDstBytes + f.dstToSrcBytes, 0);
      expect({ file, flows: flows.length, packets, bytes }).toEqual({
        file,
        flows: sum((row) => row.flows),
        packets: sum((row) => row.packets),
        bytes: sum((row) => row.bytes),
      });
      totalFlows += flows.length;
    }
    expect(totalFlows).toBe(3355);
  });

  it('reads every field of a TLS flow (443-git.pcap)', async () => {
    const { flows } = await readNdpiReaderOutput(expectedFile('443-git.pcap.out'));
    expect(flows).toHaveLength(1);
    const [flow] = flows;
    expect(flow).toMatchObject({
      index: 1,
      section: 'detected',
      ipProtocol: 6,
      ipVersion: 4,
      src: { ip: '192.168.1.13', port: 55744 },
      dst: { ip: '140.82.114.4', port: 443 },
      bidirectional: true,
      vlanId: 0,
      tunnel: '',
      ndpiMaster: 91,
      ndpiApp: 203,
      protocolName: 'TLS.Github',
      confidence: 'DPI',
      srcToDstPackets: 35,
      srcToDstBytes: 3167,
      dstToSrcPackets: 35,
      dstToSrcBytes: 34022,
      hostName: 'github.com',
    });
    expect(flow?.metadata).toMatchObject({
      ALPN: 'http/1.1',
      JA3S: 'ae53107a2e47ea20c72ac44821a728bf',
      ServerNames: 'github.com,www.github.com',
      'Certificate SHA-1': 'CA:06:F5:6B:25:8B:7A:0D:4F:2B:05:47:09:39:47:86:51:15:19:84',
    });
    expect(flow?.flags).toEqual(expect.arrayContaining(['Encrypted', 'TLSv1.2', 'Firefox', '0.82 sec']));
  });

  it('reads bracketed IPv6 endpoints, ICMPv6 without ports and one-way flows (6in4tunnel.pcap)', async () => {
    const { flows } = await readNdpiReaderOutput(expectedFile('6in4tunnel.pcap.out'));
    const icmp = flows.find((f) => f.index === 5);
    expect(icmp).toMatchObject({
      ipProtocol: 58,
      ipVersion: 6,
      src: { ip: '2a03:2880:1010:6f03:face:b00c::2', port: 0 },
      dst: { ip: '2001:470:1f17:13f:3e97:eff:fe73:4dec', port: 0 },
      bidirectional: false,
      ndpiMaster: 0,
      ndpiApp: 102,
      protocolName: 'ICMPV6',
      dstToSrcPackets: 0,
    });
    const dns = flows.find((f) => f.index === 6);
    expect(dns).toMatchObject({ ndpiMaster: 5, ndpiApp: 119, protocolName: 'DNS.Facebook', hostName: 'star.c10r.facebook.com' });
  });

  it('reads [VLAN: n] and the tunnel prefix of the proto field (tls_invalid_reads.pcap, GTP)', async () => {
    const { flows } = await readNdpiReaderOutput(expectedFile('tls_invalid_reads.pcap.out'));
    expect(flows.find((f) => f.index === 2)).toMatchObject({
      vlanId: 2,
      tunnel: 'GTP',
      ndpiMaster: 91,
      ndpiApp: 275,
      protocolName: 'TLS.Crashlytics',
      hostName: 'e.crashlytics.com',
      metadata: expect.objectContaining({ ALPN: '' }),
    });
    expect(flows.find((f) => f.index === 1)?.vlanId).toBe(0);
  });

  it('reads numbered IP protocols with port 0 (ajp.pcap, protocol 80)', async () => {
    const { flows } = await readNdpiReaderOutput(expectedFile('ajp.pcap.out'));
    expect(flows.map((f) => [f.ipProtocol, f.vlanId, f.protocolName])).toEqual([
      [6, 7, 'AJP'],
      [6, 7, 'AJP'],
      [80, 0, 'Unknown'],
      [80, 0, 'Unknown'],
    ]);
    expect(flows[2]?.src).toEqual({ ip: '93.88.129.0', port: 0 });
  });

  it('marks flows of the "Undetected flows" section and keeps the JA3 table out (1kxun.pcap)', async () => {
    const { flows } = await readNdpiReaderOutput(expectedFile('1kxun.pcap.out'));
    const undetected = flows.filter((f) => f.section === 'undetected');
    expect(flows).toHaveLength(129);
    expect(undetected).toHaveLength(14);
    expect(undetected.every((f) => f.protocolName === 'Unknown' && f.confidence === 'Unknown')).toBe(true);
    expect(undetected[0]?.index).toBe(1);
  });
});

describe('ndpiReader output parser on malformed input', () => {
  const line = (tuple: string, fields = '[proto: 7/HTTP][1 pkts/60 bytes -> 0 pkts/0 bytes]'): string =>
    `Guessed flow protos:\t0\n\n\t1\t${tuple} ${fields}\n`;

  it('names file and line for an endpoint that is not ip:port', () => {
    expect(() => parseNdpiReaderOutput(line('TCP 10.0.0.1 -> 10.0.0.2:80'), 'x.out')).toThrow(
      expect.objectContaining({ code: 'ERR_EXPECTED_FORMAT', message: expect.stringContaining('x.out:3:') }),
    );
  });

  it('rejects an unknown IP protocol name, a missing proto field and missing counters', () => {
    expect(() => parseNdpiReaderOutput(line('SCTPX 10.0.0.1:1 -> 10.0.0.2:80'), 'x.out')).toThrow(/unknown IP protocol 'SCTPX'/);
    expect(() => parseNdpiReaderOutput(line('TCP 10.0.0.1:1 -> 10.0.0.2:80', '[1 pkts/60 bytes -> 0 pkts/0 bytes]'), 'x.out')).toThrow(/\[proto: \.\.\.\]/);
    expect(() => parseNdpiReaderOutput(line('TCP 10.0.0.1:1 -> 10.0.0.2:80', '[proto: 7/HTTP]'), 'x.out')).toThrow(/pkts/);
  });

  it('reports a missing file by name with code ERR_EXPECTED_READ', async () => {
    await expect(readNdpiReaderOutput('/nonexistent/none.pcap.out')).rejects.toMatchObject({
      code: 'ERR_EXPECTED_READ',
      message: 'cannot read expected output /nonexistent/none.pcap.out: no such file',
    });
  });
});
