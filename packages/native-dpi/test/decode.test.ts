// Ensures each link type, shim layer and tunnel the engine claims to decode leads to the
// inner flow (on generated captures), and that malformed packets become named discard
// counters instead of flows.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../src/index.js';
import * as p from './helpers/packets.js';
import { LINKTYPE, writePcap, type PcapPacket } from './helpers/pcap-writer.js';
import { runCapture, type EngineRun } from './helpers/run-engine.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir('native-dpi-decode');
const T0 = 1_700_000_000_000_000;

const query = (): Buffer => p.udp(5000, 53, p.dnsQuery('example.org'));
const dns4 = (): Buffer => p.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: query() });
const dns6 = (): Buffer =>
  p.ipv6({ src: 'fd00::1', dst: 'fd00::2', nextHeader: 17, payload: query() });

let fileCount = 0;
async function run(linktype: number, frames: Array<Buffer | PcapPacket>): Promise<EngineRun> {
  const packets = frames.map((f, i) => (Buffer.isBuffer(f) ? { timeUs: T0 + i * 1000, data: f } : f));
  return runCapture(writePcap(join(tempDir(), `c${++fileCount}.pcap`), linktype, packets));
}

function onlyFlow(r: EngineRun): FlowRecord {
  expect(r.finals).toHaveLength(1);
  return r.finals[0] as FlowRecord;
}

function expectDnsFlow(f: FlowRecord, lower = '10.0.0.1', upper = '10.0.0.2'): void {
  expect(f).toMatchObject({ lowerIp: lower, upperIp: upper, lowerPort: 5000, upperPort: 53, ipProtocol: 17, protocolName: 'DNS', hostName: 'example.org' });
  expect(f.dns?.query).toBe('example.org');
  expect(f.originLower).toBe(true);
}

const totals = (r: EngineRun): Record<string, number> => r.counters.sources[0]?.totals ?? {};
const discards = (r: EngineRun): Record<string, number> => r.counters.sources[0]?.discards ?? {};

describe('decoding to the inner flow', () => {
  it('Ethernet II, with MACs from the first packet', async () => {
    const r = await run(LINKTYPE.EN10MB, [p.ethernet(0x0800, dns4())]);
    const f = onlyFlow(r);
    expectDnsFlow(f);
    expect(f.lowerMac).toBe(p.MAC_A);
    expect(f.upperMac).toBe(p.MAC_B);
    expect(totals(r)).toMatchObject({ raw: 1, ethernet: 1, ip: 1, udp: 1, discarded: 0 });
  });

  it('802.1Q and QinQ: the innermost VLAN id is the flow VLAN', async () => {
    const single = await run(LINKTYPE.EN10MB, [p.ethernet(0x8100, p.vlanTag(100, 0x0800, dns4()))]);
    expect(onlyFlow(single).vlanId).toBe(100);
    expect(totals(single).vlan).toBe(1);
    const qinq = await run(LINKTYPE.EN10MB, [p.ethernet(0x88a8, p.vlanTag(10, 0x8100, p.vlanTag(20, 0x0800, dns4())))]);
    expectDnsFlow(onlyFlow(qinq));
    expect(onlyFlow(qinq).vlanId).toBe(20);
  });

  it('MPLS label stacks and PPPoE sessions', async () => {
    const mpls = await run(LINKTYPE.EN10MB, [p.ethernet(0x8847, p.mplsLabels([16, 17], dns4()))]);
    expectDnsFlow(onlyFlow(mpls));
    expect(totals(mpls).mpls).toBe(1);
    const pppoe = await run(LINKTYPE.EN10MB, [p.ethernet(0x8864, p.pppoeSession(0x0021, dns4()))]);
    expectDnsFlow(onlyFlow(pppoe));
    expect(totals(pppoe).pppoe).toBe(1);
  });

  it.each([
    ['LINUX_SLL', LINKTYPE.LINUX_SLL, p.linuxSll(0x0800, dns4())],
    ['LINUX_SLL2', LINKTYPE.LINUX_SLL2, p.linuxSll2(0x0800, dns4())],
    ['NULL', LINKTYPE.NULL, p.nullLoop(2, dns4())],
    ['RAW', LINKTYPE.RAW, dns4()],
    ['IPV4', LINKTYPE.IPV4, dns4()],
    ['PPP', LINKTYPE.PPP, Buffer.concat([Buffer.from([0x00, 0x21]), dns4()])],
    ['PPP with address/control', LINKTYPE.PPP, Buffer.concat([Buffer.from([0xff, 0x03, 0x00, 0x21]), dns4()])],
    ['C_HDLC', LINKTYPE.C_HDLC, Buffer.concat([Buffer.from([0x0f, 0x00, 0x08, 0x00]), dns4()])],
  ])('link type %s', async (_name, linktype, frame) => {
    const r = await run(linktype, [frame]);
    expectDnsFlow(onlyFlow(r));
    expect(onlyFlow(r).lowerMac).toBe('00:00:00:00:00:00');
  });

  it('IPv6 with extension headers, and the IPV6 link type', async () => {
    const withExt = p.ipv6({ src: 'fd00::1', dst: 'fd00::2', nextHeader: 17, payload: query(), extensions: [[0, p.ipv6Options()], [60, p.ipv6Options()]] });
    const r = await run(LINKTYPE.EN10MB, [p.ethernet(0x86dd, withExt)]);
    expectDnsFlow(onlyFlow(r), 'fd00::1', 'fd00::2');
    expect(onlyFlow(r).ipVersion).toBe(6);
    expectDnsFlow(onlyFlow(await run(LINKTYPE.IPV6, [dns6()])), 'fd00::1', 'fd00::2');
  });

  it.each([
    ['4in4', () => p.ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 4, payload: dns4() }), '10.0.0.1'],
    ['6in4', () => p.ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 41, payload: dns6() }), 'fd00::1'],
    ['4in6', () => p.ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 4, payload: dns4() }), '10.0.0.1'],
    ['6in6', () => p.ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 41, payload: dns6() }), 'fd00::1'],
    ['GRE', () => p.ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 47, payload: p.gre(0x0800, dns4()) }), '10.0.0.1'],
    ['GTP-U', () => p.ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 17, payload: p.udp(2152, 2152, p.gtpU(7, dns4())) }), '10.0.0.1'],
    [
      'TZSP',
      () => p.ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 17, payload: p.udp(40000, 37008, p.tzsp(p.ethernet(0x0800, dns4()))) }),
      '10.0.0.1',
    ],
  ])('%s tunnels are decapsulated to the inner flow', async (_name, outer, lower) => {
    const frame = outer();
    const type = (frame[0] as number) >> 4 === 6 ? 0x86dd : 0x0800;
    const r = await run(LINKTYPE.EN10MB, [p.ethernet(type, frame)]);
    const f = onlyFlow(r);
    expectDnsFlow(f, lower, lower === '10.0.0.1' ? '10.0.0.2' : 'fd00::2');
  });

  it('IPv4 fragments: the first is classified, later ones are counted and discarded', async () => {
    const payload = query();
    const first = p.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: payload.subarray(0, 16), moreFragments: true, id: 9 });
    const second = p.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: payload.subarray(16), fragmentOffset: 16, id: 9 });
    const r = await run(LINKTYPE.EN10MB, [p.ethernet(0x0800, first), p.ethernet(0x0800, second)]);
    const f = onlyFlow(r);
    expect(f).toMatchObject({ lowerPort: 5000, upperPort: 53, lowerPackets: 1 });
    expect(totals(r)).toMatchObject({ raw: 2, fragmented: 2, discarded: 1, ip: 1 });
    expect(discards(r).ipv4_fragment).toBe(1);
  });

  it('IPv6 fragments: the first is classified, later ones are counted and discarded', async () => {
    const q = query();
    const first = p.ipv6({ src: 'fd00::1', dst: 'fd00::2', nextHeader: 17, payload: q.subarray(0, 16), extensions: [[44, p.ipv6Fragment(0, true)]] });
    const second = p.ipv6({ src: 'fd00::1', dst: 'fd00::2', nextHeader: 17, payload: q.subarray(16), extensions: [[44, p.ipv6Fragment(16, false)]] });
    const r = await run(LINKTYPE.EN10MB, [p.ethernet(0x86dd, first), p.ethernet(0x86dd, second)]);
    expect(onlyFlow(r)).toMatchObject({ lowerIp: 'fd00::1', lowerPort: 5000, upperPort: 53, lowerPackets: 1 });
    expect(totals(r)).toMatchObject({ fragmented: 2, discarded: 1 });
    expect(discards(r).ipv6_fragment).toBe(1);
  });

  it('ICMP, and TCP with a header cut short, are flows without ports', async () => {
    const icmp = p.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 1, payload: p.icmpEcho(8, 1, 1) });
    const shortTcp = p.ipv4({ src: '10.0.0.3', dst: '10.0.0.4', protocol: 6, payload: Buffer.alloc(12, 0x41) });
    const r = await run(LINKTYPE.EN10MB, [p.ethernet(0x0800, icmp), p.ethernet(0x0800, shortTcp)]);
    expect(r.finals.map((f) => [f.ipProtocol, f.lowerPort, f.upperPort, f.protocolName]).sort()).toEqual([
      [1, 0, 0, 'ICMP'],
      [6, 0, 0, 'Unknown'],
    ]);
    expect(totals(r)).toMatchObject({ icmp: 1, tcp: 1 });
  });
});

describe('malformed and unsupported packets become named counters', () => {
  it('counts each reason and never makes a flow of them', async () => {
    const good = p.ethernet(0x0800, dns4());
    const arp = p.ethernet(0x0806, Buffer.alloc(28));
    const stp = Buffer.concat([p.ethernet(38, Buffer.from([0x42, 0x42, 0x03])), Buffer.alloc(35)]);
    const longerThanCaptured = p.ethernet(0x0800, p.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: query(), totalLength: 400 }));
    const badIhl = p.ethernet(0x0800, Buffer.concat([Buffer.from([0x43]), dns4().subarray(1)]));
    const tiny = Buffer.alloc(20);
    const v5 = p.ethernet(0x0800, Buffer.concat([Buffer.from([0x55]), dns4().subarray(1)]));
    const cutIpv6 = p.ethernet(0x86dd, dns6().subarray(0, 50));
    const r = await run(LINKTYPE.EN10MB, [good, arp, stp, longerThanCaptured, badIhl, tiny, v5, cutIpv6]);
    expect(onlyFlow(r).lowerPackets).toBe(1);
    expect(discards(r)).toMatchObject({
      ethertype_unsupported: 1,
      stp_frame: 1,
      ipv4_truncated: 1,
      ipv4_bad_header: 1,
      frame_too_short: 1,
      ip_version_unsupported: 1,
      ipv6_truncated: 1,
    });
    expect(totals(r)).toMatchObject({ raw: 8, ip: 1, discarded: 7 });
  });

  it('a datagram cut by the snap length is still accounted (at its wire length)', async () => {
    const frame = p.ethernet(0x0800, dns4());
    const r = await run(LINKTYPE.EN10MB, [{ timeUs: T0, data: frame.subarray(0, 44), wireLength: frame.length }]);
    expect(onlyFlow(r)).toMatchObject({ lowerPort: 5000, lowerBytes: frame.length });
  });
});
