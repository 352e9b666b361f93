import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalProtocolIds, compareFlows } from '../src/compare-flows.js';
import type { EngineFlow } from '../src/engine-flow.js';
import { ipSpellings, normalizeIp } from '../src/flow-key.js';
import { parseNdpiReaderOutput, readNdpiReaderOutput, type ExpectedFlow } from '../src/ndpi-reader-output.js';
import { formatTextReport, totalOf } from '../src/report.js';
import { corpusAvailable, expectedDir } from './corpus.js';

/** Spells an IPv6 address out in full, so matching has to normalise it. */
function expandIpv6(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array(8 - left.length - right.length).fill('0');
  return [...left, ...(tail === undefined ? [] : zeros), ...right].map((group) => group.padStart(4, '0').toUpperCase()).join(':');
}

/**
 * The engine flow an engine in full agreement would report for a reference flow: lower/upper
 * ordered (not ndpiReader's src/dst), addresses spelled differently, counters per side.
 */
function agreeingEngineFlow(flow: ExpectedFlow, flowId: number): EngineFlow {
  const srcIsLower = `${normalizeIp(flow.src.ip)}#${flow.src.port}` <= `${normalizeIp(flow.dst.ip)}#${flow.dst.port}`;
  const [lower, upper] = srcIsLower ? [flow.src, flow.dst] : [flow.dst, flow.src];
  const srcSide = { packets: flow.srcToDstPackets, bytes: flow.srcToDstBytes };
  const dstSide = { packets: flow.dstToSrcPackets, bytes: flow.dstToSrcBytes };
  const [lowerCounts, upperCounts] = srcIsLower ? [srcSide, dstSide] : [dstSide, srcSide];
  return {
    flowId,
    ipVersion: flow.ipVersion,
    ipProtocol: flow.ipProtocol,
    vlanId: flow.vlanId,
    lowerIp: expandIpv6(lower.ip),
    lowerPort: lower.port,
    upperIp: expandIpv6(upper.ip),
    upperPort: upper.port,
    lowerPackets: lowerCounts.packets,
    lowerBytes: lowerCounts.bytes,
    upperPackets: upperCounts.packets,
    upperBytes: upperCounts.bytes,
    ndpiMaster: flow.ndpiMaster,
    ndpiApp: flow.ndpiApp,
    protocolName: flow.protocolName,
    confidence: flow.confidence,
    guessed: flow.confidence.startsWith('Match by'),
    hostName: flow.hostName,
    ja3c: flow.metadata.JA3C?.split(' ')[0] ?? '',
    ja3s: flow.metadata.JA3S?.split(' ')[0] ?? '',
  };
}

const CAPTURES = ['1kxun.pcap', '6in4tunnel.pcap', 'ajp.pcap', 'tls_invalid_reads.pcap'];

describe.skipIf(!corpusAvailable)('matching engine flows to reference flows', () => {
  const reference = new Map<string, ExpectedFlow[]>();
  beforeAll(async () => {
    for (const capture of CAPTURES) reference.set(capture, (await readNdpiReaderOutput(join(expectedDir, `${capture}.out`))).flows);
  });
  const flowsOf = (capture: string): ExpectedFlow[] => reference.get(capture) ?? [];

  it('finds every flow and agrees on everything when the engine reports the same flows (IPv6 spelled in full)', () => {
    for (const capture of CAPTURES) {
      const expected = flowsOf(capture);
      const result = compareFlows(capture, expected, expected.map(agreeingEngineFlow).reverse());
      const withHost = expected.filter((f) => f.hostName !== '').length;
      const withJa3 = expected.filter((f) => f.metadata.JA3C !== undefined || f.metadata.JA3S !== undefined).length;
      expect(result).toMatchObject({
        expectedFlows: expected.length,
        engineFlows: expected.length,
        found: expected.length,
        extra: 0,
        protocol: { agree: expected.length, compared: expected.length },
        protocolIds: { agree: expected.length, compared: expected.length },
        hostname: { agree: withHost, compared: withHost },
        ja3: { agree: withJa3, compared: withJa3 },
        packets: { agree: expected.length, compared: expected.length },
        bytes: { agree: expected.length, compared: expected.length },
        mismatches: [],
      });
    }
  });

  it('reports a flow the engine lacks as missing and a flow only the engine has as extra (VLAN is part of the key)', () => {
    const expected = flowsOf('ajp.pcap');
    const engine = expected.map(agreeingEngineFlow);
    engine[0] = { ...(engine[0] as EngineFlow), vlanId: 8 };
    const result = compareFlows('ajp.pcap', expected, engine);
    expect(result.found).toBe(expected.length - 1);
    expect(result.extra).toBe(1);
    expect(result.protocol).toEqual({ agree: expected.length - 1, compared: expected.length });
    expect(result.mismatches).toEqual([
      { capture: 'ajp.pcap', tuple: 'TCP 172.29.9.146:38856 <-> 172.29.9.147:8009 [VLAN: 7]', field: 'missing', expected: '139/AJP (DPI)', got: 'no engine flow' },
      { capture: 'ajp.pcap', tuple: 'TCP 172.29.9.146:38856 <-> 172.29.9.147:8009 [VLAN: 8]', field: 'extra', expected: 'no ndpiReader flow', got: '139/AJP (DPI), 7 <-> 6 pkts' },
    ]);
  });

  it('names protocol, hostname, JA3 and per-direction counter disagreements', () => {
    const expected = flowsOf('6in4tunnel.pcap');
    const engine = expected.map(agreeingEngineFlow);
    const byIndex = (index: number): EngineFlow => engine[expected.findIndex((f) => f.index === index)] as EngineFlow;
    Object.assign(byIndex(2), { ndpiMaster: 91, ndpiApp: 0, protocolName: 'TLS', guessed: true });
    Object.assign(byIndex(6), { hostName: '' });
    Object.assign(byIndex(1), { ja3s: '' });
    const icmp = byIndex(5);
    [icmp.lowerPackets, icmp.upperPackets, icmp.lowerBytes, icmp.upperBytes] = [icmp.upperPackets, icmp.lowerPackets, icmp.upperBytes, icmp.lowerBytes];
    const result = compareFlows('6in4tunnel.pcap', expected, engine);
    const flow1 = expected.find((f) => f.index === 1) as ExpectedFlow;
    const JA3_OF_FLOW_1 = `${flow1.metadata.JA3C},${flow1.metadata.JA3S?.split(' ')[0]}`;
    expect(result.protocol.agree).toBe(expected.length - 1);
    expect(result.protocolIds.agree).toBe(expected.length - 1);
    expect(result.hostname.compared - result.hostname.agree).toBe(1);
    expect(result.ja3).toEqual({ agree: 1, compared: 2 });
    expect(result.packets.agree).toBe(expected.length - 1);
    expect(result.mismatches.map((m) => [m.field, m.tuple, m.expected, m.got])).toEqual([
      ['ja3', 'TCP [2001:470:1f17:13f:3e97:eff:fe73:4dec]:60205 <-> [2604:a880:1:20::224:b001]:443', JA3_OF_FLOW_1, `${JA3_OF_FLOW_1.split(',')[0]},`],
      ['protocol', 'TCP [2001:470:1f17:13f:3e97:eff:fe73:4dec]:53234 <-> [2a03:2880:1010:6f03:face:b00c::2]:443', '91.119/TLS.Facebook (DPI)', '91/TLS (DPI, guessed)'],
      ['packets', 'ICMPV6 [2a03:2880:1010:6f03:face:b00c::2]:0 -> [2001:470:1f17:13f:3e97:eff:fe73:4dec]:0', '1 pkts/1314 bytes <-> 0 pkts/0 bytes', '0 pkts/0 bytes <-> 1 pkts/1314 bytes'],
      ['hostname', 'UDP [2001:470:1f16:13f::2]:53959 <-> [2a03:2880:fffe:b:face:b00c::99]:53', "'star.c10r.facebook.com'", "''"],
    ]);
  });

  it('pairs several engine flows of one 5-tuple with the expected flow closest in packets', () => {
    const [flow] = flowsOf('ajp.pcap') as [ExpectedFlow];
    const exact = agreeingEngineFlow(flow, 2);
    const restart = { ...agreeingEngineFlow(flow, 1), lowerPackets: 1, upperPackets: 0, protocolName: 'Unknown' };
    const result = compareFlows('ajp.pcap', [flow], [restart, exact]);
    expect(result).toMatchObject({ found: 1, extra: 1, protocol: { agree: 1, compared: 1 }, packets: { agree: 1, compared: 1 } });
    expect(result.mismatches.map((m) => m.field)).toEqual(['extra']);
  });

  it('totals and prints per-capture rows, percentages and each mismatch', () => {
    const expected = flowsOf('ajp.pcap');
    const engine = expected.map(agreeingEngineFlow).slice(1);
    const comparisons = [compareFlows('ajp.pcap', expected, engine), compareFlows('1kxun.pcap', flowsOf('1kxun.pcap'), flowsOf('1kxun.pcap').map(agreeingEngineFlow))];
    const totals = totalOf(comparisons);
    expect(totals.found).toEqual({ agree: 132, compared: 133 });
    const text = formatTextReport(comparisons, totals);
    expect(text).toMatch(/^ajp\.pcap\s+3\/4\s+0\s+3\/4\s+0\/0\s+0\/0\s+3\/4\s+3\/4$/m);
    expect(text).toMatch(/^1kxun\.pcap\s+129\/129\s+0\s+129\/129\s+89\/89\s+4\/4\s+129\/129\s+129\/129$/m);
    expect(text).toContain('flows found        132/133  99.25 %');
    expect(text).toContain('same JA3C/JA3S     4/4  100.00 %');
    expect(text).toContain('MISMATCHES (1)\n  ajp.pcap  TCP 172.29.9.146:38856 <-> 172.29.9.147:8009 [VLAN: 7]  missing: expected 139/AJP (DPI), got no engine flow');
  });
});

describe('protocol ids', () => {
  it('writes a lone id for app-only or equal master/app, master.app otherwise', () => {
    expect([canonicalProtocolIds(0, 7), canonicalProtocolIds(7, 7), canonicalProtocolIds(91, 0), canonicalProtocolIds(91, 203)]).toEqual(['7', '7', '91', '91.203']);
  });
});

describe('ambiguous IPv6 spellings', () => {
  it('expands an address printed with two "::" into every address it can stand for', () => {
    expect(ipSpellings('302e::3d00::8001').sort()).toEqual(['302e:0:3d00::8001', '302e:0:0:3d00::8001', '302e::3d00:0:0:8001', '302e::3d00:0:8001'].sort());
    expect(ipSpellings('::1::2')).toHaveLength(5);
    expect(ipSpellings('2001:DB8::1')).toEqual(['2001:db8::1']);
  });

  it('matches the engine flow whose address is one of them', () => {
    const expected = parseNdpiReaderOutput(
      '\t1\tTCP [3400:3a30:3035:2f75:706c:6f32:643f:6c3d]:44288 -> [302e::3d00::8001]:0 [proto: 91/TLS][Confidence: DPI][1 pkts/213 bytes -> 0 pkts/0 bytes]\n',
      'fuzz.out',
    ).flows;
    const engine: EngineFlow = {
      flowId: 1, ipVersion: 6, ipProtocol: 6, vlanId: 0,
      lowerIp: '302e::3d00:0:8001', lowerPort: 0, upperIp: '3400:3a30:3035:2f75:706c:6f32:643f:6c3d', upperPort: 44288,
      lowerPackets: 0, lowerBytes: 0, upperPackets: 1, upperBytes: 213,
      ndpiMaster: 0, ndpiApp: 91, protocolName: 'TLS', confidence: 'DPI', guessed: false, hostName: '', ja3c: '', ja3s: '',
    };
    expect(compareFlows('fuzz.pcap', expected, [engine])).toMatchObject({ found: 1, extra: 0, packets: { agree: 1 }, bytes: { agree: 1 }, mismatches: [] });
  });
});
