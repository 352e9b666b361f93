// Ensures FlowModel turns engine batches into the agent's flow events and tick data
// (FORMATS §1.2, §6, §7): event order invariants, interval stats and purges, interface and
// global counters, endpoints, and that every resulting message validates against v5.
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/flow/engine-records.js';
import { FlowModel, type FlowModelEvent } from '../../src/flow/flow-model.js';
import type { FlowTick } from '../../src/flow/tick-assembler.js';
import { PACKET_COUNTER_KEYS } from '../../src/flow/packet-counters.js';
import { haveSchemas } from './design-files.js';
import { flowRecord, ndpi, ndpiRisk, tickFlow, tickRecord } from './records.js';
import { invalidMessages } from './wire.js';
import { expectKeysInByteOrder } from './key-order.js';

const sources = [{ source: 0, name: 'offline0', role: 'lan' as const, captureFile: 'captures/443-git.pcap' }];

function model(extra: Partial<ConstructorParameters<typeof FlowModel>[0]> = {}) {
  const lines: string[] = [];
  const log = (line: string) => void lines.push(line);
  return { lines, model: new FlowModel({ sources, logger: { debug: log, info: log, warn: log, error: log }, ...extra }) };
}

const types = (events: FlowModelEvent[]) => events.map((event) => event.type);
const tickOf = (events: FlowModelEvent[]) => events.find((event): event is FlowTick => event.type === 'tick')!;

const tlsPartial = { version: 0x0303, cipher: 0, sni: 'github.com', serverNames: '', issuerDn: '', subjectDn: '', ja3c: '', ja3s: '', alpnClient: ['http/1.1'], alpnServer: '', certSha1: '' };
const tlsFull = { ...tlsPartial, cipher: 0xc02f, ja3s: 'ed61bbffb349efa73172fbf5e23db6d0', issuerDn: 'CN=DigiCert', subjectDn: 'O=GitHub, Inc., CN=github.com', alpnServer: 'http/1.1', certSha1: 'ca06f56b258b7a0d4f2b05470939478651151984' };

function githubLifecycle(): FlowRecord[] {
  return [
    flowRecord({ kind: 'new', tls: tlsPartial, lowerBytes: 0, upperBytes: 517, lowerPackets: 0, upperPackets: 3, detectionPackets: 3 }),
    flowRecord({ kind: 'dpi_update', tls: { ...tlsPartial, cipher: 0xc02f, alpnServer: 'http/1.1' }, detectionPackets: 4 }),
    flowRecord({ kind: 'dpi_complete', tls: tlsFull, risks: [ndpiRisk('TLS_CERTIFICATE_EXPIRED')], riskScore: 100, riskScoreClient: 10, riskScoreServer: 90 }),
    flowRecord({ kind: 'expire', tls: tlsFull, risks: [ndpiRisk('TLS_CERTIFICATE_EXPIRED')], riskScore: 100, riskScoreClient: 10, riskScoreServer: 90, reason: 'closed', tcpFinAck: true }),
  ];
}

describe('FlowModel flow events', () => {
  it('follows the github flow from first classification to purge', () => {
    const { model: flows } = model();
    const events = flows.onRecords(githubLifecycle());
    expect(types(events)).toEqual(['flow_new', 'detection_updated', 'flow_dpi_complete', 'flow_expire']);
    const [first, update, complete, expire] = events as Array<Extract<FlowModelEvent, { flow: { digest: string } }>>;
    for (const event of [first, update, complete, expire]) {
      expect(event).toMatchObject({ interface: 'offline0', internal: true });
      expect(event!.flow).toMatchObject({
        digest: '6bbc92483adc2d1bb65ef2afa5c1c07e1cb991fc',
        detected_protocol: 196,
        detected_protocol_name: 'HTTP/S',
        detected_application_name: 'netify.github',
        other_type: 'remote',
        local_ip: '192.168.1.13',
        local_origin: true,
      });
    }
    expect(first!.flow).toMatchObject({ detection_updated: false, risks: { risks: [], ndpi_risk_score: 0 }, local_bytes: 517 });
    expect(update!.flow).toMatchObject({ detection_updated: true, risks: { risks: [] } });
    expect(complete!.flow).toMatchObject({ detection_updated: true, risks: { risks: [30], ndpi_risk_score: 100, ndpi_risk_score_client: 10, ndpi_risk_score_server: 90 } });
    expect(complete!.flow.ssl).toMatchObject({ server_cn: 'github.com', cipher_suite: '0xc02f' });
    expect(expire).toMatchObject({ type: 'flow_expire', reason: 'closed' });
    expect(expire!.flow).toMatchObject({ detection_updated: true, risks: { risks: [30] } });
  });

  it('emits flow_new then flow_dpi_complete when the first record already completes DPI', () => {
    const { model: flows } = model();
    const events = flows.onRecords([flowRecord({ kind: 'dpi_complete', ndpiMaster: ndpi('TLS'), ndpiApp: 0, guessed: true, upperPort: 443 })]);
    expect(types(events)).toEqual(['flow_new', 'flow_dpi_complete']);
    for (const event of events) expect((event as { flow: { detected_protocol: number } }).flow).toMatchObject({ detected_protocol: 196, detected_protocol_name: 'Unknown', detection_guessed: true });
  });

  it('finalizes a flow that expires before completing, and ignores duplicates and late records', () => {
    const { model: flows } = model();
    const events = flows.onRecords([
      flowRecord({ kind: 'new', ndpiMaster: ndpi('DNS'), ndpiApp: 0 }),
      flowRecord({ kind: 'new' }),
      flowRecord({ kind: 'expire', reason: 'expired' }),
      flowRecord({ kind: 'dpi_update' }),
      flowRecord({ kind: 'dpi_complete' }),
      flowRecord({ kind: 'dpi_complete', flowId: 2, ndpiMaster: ndpi('DNS'), ndpiApp: 0 }),
      flowRecord({ kind: 'dpi_complete', flowId: 2 }),
      flowRecord({ kind: 'dpi_update', flowId: 2 }),
    ]);
    expect(types(events)).toEqual(['flow_new', 'flow_dpi_complete', 'flow_expire', 'flow_new', 'flow_dpi_complete']);
    expect((events[0] as { flow: { detected_protocol: number } }).flow.detected_protocol).toBe(5);
  });

  it('starts a completed flow over on a new record (the engine restarting a reused DNS flow): same digest, one purge', () => {
    const { model: flows } = model();
    const dns = { ipProtocol: 17, lowerIp: '192.0.2.53', upperIp: '192.168.1.13', lowerPort: 53, upperPort: 40000, ndpiMaster: ndpi('DNS'), ndpiApp: 0 };
    const events = flows.onRecords([
      flowRecord({ ...dns, kind: 'new', hostName: 'a.example', lowerPackets: 0, upperPackets: 1 }),
      flowRecord({ ...dns, kind: 'dpi_complete', hostName: 'a.example', lowerPackets: 1, upperPackets: 1 }),
      flowRecord({ ...dns, kind: 'new', hostName: 'b.example', lowerPackets: 0, upperPackets: 1, detectionPackets: 1 }),
      flowRecord({ ...dns, kind: 'dpi_complete', hostName: 'b.example', lowerPackets: 1, upperPackets: 1 }),
      flowRecord({ ...dns, kind: 'expire', hostName: 'b.example', reason: 'expired', lowerPackets: 1, upperPackets: 1 }),
      tickRecord([], { timeMs: 1_470_000_030_000 }),
    ]);
    expect(types(events)).toEqual(['flow_new', 'flow_dpi_complete', 'flow_new', 'flow_dpi_complete', 'flow_expire', 'tick']);
    const flowsOf = events.flatMap((event) => ('flow' in event && event.type !== 'flow_expire' ? [event.flow as { digest: string; host_server_name?: string }] : []));
    expect(flowsOf.map((flow) => flow.host_server_name)).toEqual(['a.example', 'a.example', 'b.example', 'b.example']);
    expect(new Set(flowsOf.map((flow) => flow.digest)).size).toBe(1);
    expect(tickOf(events).purged).toHaveLength(1);
    expect(flows.flowCount).toBe(0);
  });

  it('maps terminated and unspecified expiries to expired, FIN/RST without a reason to closed', () => {
    const { model: flows } = model();
    const reasons = flows
      .onRecords([
        flowRecord({ kind: 'expire', flowId: 1, reason: 'terminated' }),
        flowRecord({ kind: 'expire', flowId: 2 }),
        flowRecord({ kind: 'expire', flowId: 3, tcpRst: true }),
        flowRecord({ kind: 'expire', flowId: 4, reason: 'expired', tcpFinAck: true }),
      ])
      .filter((event) => event.type === 'flow_expire')
      .map((event) => (event as { reason: string }).reason);
    expect(reasons).toEqual(['expired', 'expired', 'closed', 'expired']);
  });

  it('reports source ends and logs an unconfigured source once', () => {
    const { model: flows, lines } = model();
    const events = flows.onRecords([
      { kind: 'source_end', source: 0 },
      { kind: 'source_end', source: 7, error: 'read error' },
      flowRecord({ source: 7 }),
    ]);
    expect(events[0]).toEqual({ type: 'source_end', source: 0, interface: 'offline0' });
    expect(events[1]).toEqual({ type: 'source_end', source: 7, interface: 'source7', error: 'read error' });
    expect(events[2]).toMatchObject({ type: 'flow_new', interface: 'source7' });
    expect(lines).toEqual(['engine source 7 was not configured; its flows are reported on interface source7']);
  });

  it('-A networks decide which side is local', () => {
    const { model: flows } = model({ sources: [{ ...sources[0]!, localNetworks: ['140.82.114.0/24'] }] });
    const [event] = flows.onRecords([flowRecord()]);
    expect((event as { flow: { local_ip: string; other_type: string; local_origin: boolean } }).flow).toMatchObject({ local_ip: '140.82.114.4', other_type: 'remote', local_origin: false });
    expect(() => model({ sources: [{ ...sources[0]!, localNetworks: ['140.82.114.0/99'] }] })).toThrow(/-A of offline0: "140.82.114.0\/99" is not a network/);
  });
});

describe('FlowModel ticks', () => {
  it('reports interval stats for active flows and purges expired ones with their last interval', () => {
    const { model: flows } = model();
    flows.onRecords([flowRecord({ kind: 'new', flowId: 1 }), flowRecord({ kind: 'new', flowId: 2, upperPort: 55745, ipProtocol: 17 })]);
    const first = tickOf(flows.onRecords([
      tickRecord([
        tickFlow(1, { lowerBytes: 3000, lowerPackets: 3, upperBytes: 600, upperPackets: 4, lowerActiveSeconds: 2, upperActiveSeconds: 3, totalBytes: 3600, totalPackets: 7, detectionPackets: 5, tcpResets: 1, tcpRetrans: 2, tcpSeqErrors: 3 }),
        tickFlow(2, { lowerBytes: 10, lowerPackets: 1, lowerActiveSeconds: 1, totalBytes: 10, totalPackets: 1 }),
        tickFlow(99, { lowerBytes: 1, lowerPackets: 1 }),
      ]),
    ]));
    expect(first.flowStats).toHaveLength(2);
    expect(first.flowStats[0]).toEqual({
      interface: 'offline0',
      internal: true,
      flow: {
        digest: '6bbc92483adc2d1bb65ef2afa5c1c07e1cb991fc', digest_prev: [], last_seen_at: 1_470_000_000_823,
        local_bytes: 600, local_packets: 4, local_rate: 200, other_bytes: 3000, other_packets: 3, other_rate: 1500,
        total_bytes: 3600, total_packets: 7, detection_packets: 5, tcp: { resets: 1, retrans: 2, seq_errors: 3 },
      },
    });
    expect(first.flowStats[1]!.flow).not.toHaveProperty('tcp');
    for (const entry of first.flowStats) expectKeysInByteOrder(entry.flow);
    expect(first.purged).toEqual([]);
    expect(first.figures).toEqual({ flowCount: 2, flowsActive: 2, flowsExpired: 0, flowsPurged: 0 });

    // Flow 1 expires with traffic in the interval, flow 2 idles out.
    const second = flows.onRecords([
      flowRecord({ kind: 'expire', flowId: 1, reason: 'closed', lastSeenMs: 1_470_000_020_000 }),
      flowRecord({ kind: 'expire', flowId: 2, upperPort: 55745, ipProtocol: 17, reason: 'expired', lowerBytes: 10, lowerPackets: 1, upperBytes: 0, upperPackets: 0, detectionPackets: 1 }),
      tickRecord([tickFlow(1, { upperBytes: 40, upperPackets: 1, upperActiveSeconds: 1, totalBytes: 3640, totalPackets: 8, detectionPackets: 5, tcpResets: 1 })], { timeMs: 1_470_000_030_000 }),
    ]);
    const tick = tickOf(second);
    expect(tick.flowStats).toEqual([]);
    expect(tick.purged).toEqual([
      { interface: 'offline0', internal: true, reason: 'closed', flow: expect.objectContaining({ local_bytes: 40, local_rate: 40, other_bytes: 0, total_bytes: 3640, tcp: { resets: 1, retrans: 0, seq_errors: 0 } }) },
      {
        interface: 'offline0', internal: true, reason: 'expired',
        flow: { digest: expect.stringMatching(/^[0-9a-f]{40}$/), digest_prev: [], last_seen_at: 1_470_000_000_823, local_bytes: 0, local_packets: 0, local_rate: 0, other_bytes: 0, other_packets: 0, other_rate: 0, total_bytes: 10, total_packets: 1, detection_packets: 1 },
      },
    ]);
    for (const entry of tick.purged) expectKeysInByteOrder(entry.flow);
    expect(tick.figures).toEqual({ flowCount: 0, flowsActive: 0, flowsExpired: 2, flowsPurged: 2 });
    expect(flows.flowCount).toBe(0);
    // Purged flows are forgotten: the next tick has nothing for them.
    const third = tickOf(flows.onRecords([tickRecord([tickFlow(1, { lowerBytes: 5, lowerPackets: 1 })], { final: true })]));
    expect(third).toMatchObject({ flowStats: [], purged: [], final: true });
  });

  it('reports all 22 counters per interface per interval and cumulative global counters', () => {
    const { model: flows } = model({ sources: [...sources, { source: 1, name: 'eth1', role: 'wan', captureType: 'tpv3', mac: 'AA:BB:CC:DD:EE:FF', addresses: ['192.0.2.1'] }] });
    const counters = { raw: 10, ip: 9, tcp: 5, largest_bytes: 1500, wire_bytes: 1000, bogus: 3 };
    const one = tickOf(flows.onRecords([tickRecord([], { sources: [{ source: 0, counters }] })]));
    const two = tickOf(flows.onRecords([tickRecord([], { sources: [{ source: 0, counters: { raw: 1, largest_bytes: 60 } }, { source: 1, counters: { raw: 2, capture_dropped: 4 } }] })]));
    expect(Object.keys(one.interfaceStats).sort()).toEqual(['eth1', 'offline0', 'type']);
    const offline = one.interfaceStats.offline0 as unknown as Record<string, number>;
    expect(Object.keys(offline).sort()).toEqual([...PACKET_COUNTER_KEYS].sort());
    expect(offline).toMatchObject({ raw: 10, ip: 9, tcp: 5, largest_bytes: 1500, udp: 0 });
    expect(one.interfaceStats.eth1).toMatchObject({ raw: 0 });
    expect(two.interfaceStats.offline0).toMatchObject({ raw: 1, largest_bytes: 60, ip: 0 });
    expect(two.globalStats).toMatchObject({ type: 'global_stats', raw: 13, ip: 9, largest_bytes: 1500, capture_dropped: 4, wire_bytes: 1000 });
    expect(two.interfaces).toEqual({
      type: 'interfaces',
      offline0: { role: 'lan', capture_type: 'pcap', capture_file: 'captures/443-git.pcap', mac: '00:00:00:00:00:00' },
      eth1: { role: 'wan', capture_type: 'tpv3', mac: 'aa:bb:cc:dd:ee:ff', addr: ['192.0.2.1'] },
    });
    // Built in byte order, so proc-core writes them natively (type included, nested counters too).
    for (const message of [two.interfaces, two.interfaceStats, two.globalStats]) expectKeysInByteOrder(message);
  });

  it('lists the endpoints first classified in each interval, then starts over', () => {
    const { model: flows } = model({ sources: [{ ...sources[0]!, localNetworks: ['02:00:00:00:00:09'] }] });
    const tick = tickOf(flows.onRecords([
      flowRecord({ flowId: 1 }),
      flowRecord({ flowId: 2, lowerIp: '192.168.1.13', upperIp: '192.168.1.20', lowerMac: '28:37:37:00:6d:c8', upperMac: '02:00:00:00:00:09', lowerPort: 1, upperPort: 2 }),
      flowRecord({ flowId: 3, lowerIp: '192.168.1.30', upperIp: '224.0.0.251', lowerMac: '00:00:00:00:00:00', upperMac: '01:00:5e:00:00:fb', lowerPort: 5353, upperPort: 5353 }),
      flowRecord({ flowId: 4, lowerIp: '10.1.1.1', upperIp: '10.1.1.2', lowerMac: '33:33:00:00:00:01', upperMac: 'aa:00:00:00:00:02', lowerPort: 3, upperPort: 4 }),
      tickRecord(),
    ]));
    expect(tick.endpoints).toEqual({ type: 'endpoints', '28:37:37:00:6d:c8': ['192.168.1.13'], 'aa:00:00:00:00:02': ['10.1.1.2'] });
    expectKeysInByteOrder(tick.endpoints);
    expect(tickOf(flows.onRecords([tickRecord()])).endpoints).toEqual({ type: 'endpoints' });
  });

  it.skipIf(!haveSchemas)('every message of a lifecycle with ticks validates against the v5 schemas', () => {
    const { model: flows } = model({ sources: [...sources, { source: 1, name: 'eth1', role: 'wan' }] });
    const events = flows.onRecords([
      ...githubLifecycle().slice(0, 3),
      flowRecord({ kind: 'dpi_complete', flowId: 5, source: 1, ipVersion: 6, lowerIp: '2a00:1450:4001:803::1017', upperIp: '2a00:d40:1:3:7aac:c0ff:fea7:d4c', ipProtocol: 17, ndpiMaster: ndpi('QUIC'), ndpiApp: ndpi('GOOGLE') }),
      tickRecord([tickFlow(1, { lowerBytes: 1, lowerPackets: 1, lowerActiveSeconds: 1, totalBytes: 1, totalPackets: 1 }), tickFlow(5, { upperBytes: 9, upperPackets: 1, upperActiveSeconds: 1 })], { sources: [{ source: 0, counters: { raw: 1 } }] }),
      githubLifecycle()[3]!,
      tickRecord([], { final: true }),
    ]);
    expect(types(events)).toEqual(['flow_new', 'detection_updated', 'flow_dpi_complete', 'flow_new', 'flow_dpi_complete', 'tick', 'flow_expire', 'tick']);
    expect(invalidMessages(events)).toEqual([]);
  });
});
