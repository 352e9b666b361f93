// dns_answer records on generated captures: which A/AAAA answers a DNS response contributes
// (the question's own, and those its CNAME chain leads to), which responses count at all,
// and malformed or mutated responses that must produce no record and no crash.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DnsAnswerRecord } from '../src/index.js';
import { addressBytes, dnsMessage, FLAG_TRUNCATED, patched, RESPONSE_FLAGS, tcpFramed, TYPE, type ResourceRecord } from './helpers/dns-messages.js';
import * as p from './helpers/packets.js';
import { LINKTYPE, writePcap } from './helpers/pcap-writer.js';
import { recordOrderProblems, runCapture, type EngineRun } from './helpers/run-engine.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir('native-dpi-dns');
const T0 = 1_700_000_000_000_000;
const SERVER = '192.0.2.53';
const CLIENT = '192.168.7.2';

interface Packet {
  frame: Buffer;
}

function udpFrom(serverPort: number, clientPort: number, message: Buffer, ip: Partial<p.Ipv4Options> = {}): Packet {
  const payload = p.udp(serverPort, clientPort, message);
  return { frame: p.ethernet(0x0800, p.ipv4({ src: SERVER, dst: CLIENT, protocol: 17, payload, ...ip })) };
}
const udp53 = (clientPort: number, message: Buffer): Packet => udpFrom(53, clientPort, message);
const query = (clientPort: number, name: string): Packet => ({
  frame: p.ethernet(0x0800, p.ipv4({ src: CLIENT, dst: SERVER, protocol: 17, payload: p.udp(clientPort, 53, p.dnsQuery(name, 0x4242)) })),
});
const udp6 = (clientPort: number, message: Buffer): Packet => ({
  frame: p.ethernet(0x86dd, p.ipv6({ src: '2001:db8::53', dst: 'fd00::2', nextHeader: 17, payload: p.udp(53, clientPort, message) })),
});
const tcp53 = (clientPort: number, segment: Buffer): Packet => ({
  frame: p.ethernet(0x0800, p.ipv4({ src: SERVER, dst: CLIENT, protocol: 6, payload: p.tcp({ sport: 53, dport: clientPort, flags: p.TCP_PSH | p.TCP_ACK, payload: segment }) })),
});

let files = 0;
/** One detection thread, so records come in packet order. */
async function run(packets: Packet[]): Promise<EngineRun> {
  const path = writePcap(join(tempDir(), `dns${++files}.pcap`), LINKTYPE.EN10MB, packets.map((pk, i) => ({ timeUs: T0 + i * 1000, data: pk.frame })));
  return runCapture(path, { detectionThreads: 1 });
}

const addresses = (r: DnsAnswerRecord | undefined) => r?.addresses.map((a) => `${a.ip}/${a.ttl}`);
const byName = (r: EngineRun, name: string) => r.dnsAnswers.find((a) => a.name === name);

const a = (owner: string, data: string, ttl?: number): ResourceRecord => ({ owner, type: data.includes(':') ? TYPE.AAAA : TYPE.A, data, ...(ttl === undefined ? {} : { ttl }) });
const cname = (owner: string, data: string): ResourceRecord => ({ owner, type: TYPE.CNAME, data });

/** A response whose chain is out of order, mixed with records that must not count. */
const chainResponse = (withAuthority = true): Buffer =>
  dnsMessage({
    questions: [{ name: 'WWW.Shop.TEST', type: TYPE.A }],
    answers: [
      a('edge.cdn.test', '192.0.2.1', 60), // before the CNAMEs leading to its owner
      cname('WWW.Shop.TEST', 'shop.cdn.test'),
      a('other.test', '198.51.100.7'), // unrelated owner
      cname('shop.cdn.test', 'EDGE.cdn.test'),
      a('edge.cdn.test', '192.0.2.2', 4_294_967_295),
      a('shop.cdn.test', '2001:db8::5'), // owned by a link of the chain
      a('edge.cdn.test', '192.0.2.1'), // duplicate address
      { owner: 'edge.cdn.test', type: TYPE.TXT, data: Buffer.from('\x05hello', 'latin1') },
      cname('other.test', 'edge.cdn.test'), // a CNAME off the chain
    ],
    authority: withAuthority ? [{ owner: 'cdn.test', type: TYPE.NS, data: 'ns.cdn.test' }] : [],
  });

describe('dns_answer records (generated captures)', () => {
  it('carry every A/AAAA answer reached from the question through its CNAME chain, once each, in answer order', async () => {
    const r = await run([query(40000, 'www.shop.test'), udp53(40000, chainResponse())]);
    expect(r.dnsAnswers).toHaveLength(1);
    const answer = r.dnsAnswers[0]!;
    expect(answer).toMatchObject({ kind: 'dns_answer', source: 0, name: 'www.shop.test', qtype: TYPE.A, timeMs: T0 / 1000 + 1 });
    expect(addresses(answer)).toEqual(['192.0.2.1/60', '192.0.2.2/4294967295', '2001:db8::5/300']);
    for (const address of answer.addresses) expect(Buffer.from(address.bytes)).toEqual(addressBytes(address.ip));
    expect(answer.flowId).toBe(r.finals[0]?.flowId);
    // after the flow's records for the same packet, and the flow's own contract is untouched
    const kinds = r.records.filter((rec) => rec.kind !== 'tick' && rec.kind !== 'source_end').map((rec) => rec.kind);
    expect(kinds.indexOf('dns_answer')).toBeGreaterThan(kinds.indexOf('new'));
    expect(recordOrderProblems(r)).toEqual([]);
  });

  it('follow at most 8 CNAME links, stop at a loop, keep at most 32 addresses', async () => {
    const hops = Array.from({ length: 9 }, (_, i) => cname(`h${i}.test`, `h${i + 1}.test`));
    const many = Array.from({ length: 40 }, (_, i) => a('many.test', `198.18.0.${i + 1}`));
    const r = await run([
      udp53(40001, dnsMessage({ questions: [{ name: 'h0.test', type: TYPE.A }], answers: [...hops, a('h8.test', '192.0.2.8'), a('h9.test', '192.0.2.9')] })),
      udp53(40002, dnsMessage({ questions: [{ name: 'loop-a.test', type: TYPE.A }], answers: [cname('loop-a.test', 'loop-b.test'), cname('loop-b.test', 'loop-a.test'), a('loop-b.test', '192.0.2.20')] })),
      udp53(40003, dnsMessage({ questions: [{ name: 'many.test', type: TYPE.A }], answers: many })),
    ]);
    expect(addresses(byName(r, 'h0.test'))).toEqual(['192.0.2.8/300']);
    expect(addresses(byName(r, 'loop-a.test'))).toEqual(['192.0.2.20/300']);
    expect(byName(r, 'many.test')?.addresses.map((x) => x.ip)).toEqual(Array.from({ length: 32 }, (_, i) => `198.18.0.${i + 1}`));
  });

  it('come from TCP when the whole message is in one segment, and from UDP over IPv6', async () => {
    const message = (name: string, type: number = TYPE.A, data = '192.0.2.30') =>
      dnsMessage({ questions: [{ name, type }], answers: [{ owner: name, type, data }] });
    const r = await run([
      tcp53(40010, tcpFramed(message('tcp-whole.test'))),
      tcp53(40011, tcpFramed(message('tcp-continues.test'), message('tcp-continues.test').length + 10)),
      udp6(40012, message('v6.test', TYPE.AAAA, '2001:db8::30')),
    ]);
    expect(r.dnsAnswers.map((x) => `${x.name} ${x.qtype} ${addresses(x)}`)).toEqual(['tcp-whole.test 1 192.0.2.30/300', 'v6.test 28 2001:db8::30/300']);
  });

  it('only from port-53 responses with RCODE 0, not truncated, whole, with an A/AAAA question of class IN and a reached answer', async () => {
    const plain = (name: string, extra: Partial<Parameters<typeof dnsMessage>[0]> = {}) =>
      dnsMessage({ questions: [{ name, type: TYPE.A }], answers: [a(name, '192.0.2.40')], ...extra });
    const whole = plain('fragment.test');
    const r = await run([
      udp53(40020, plain('counted.test')),
      udpFrom(5353, 5353, plain('mdns.test')),
      udpFrom(5355, 40021, plain('llmnr.test')),
      udp53(40022, plain('query.test', { flags: 0x0100 })),
      udp53(40023, plain('nxdomain.test', { flags: RESPONSE_FLAGS | 3 })),
      udp53(40024, plain('truncated-flag.test', { flags: RESPONSE_FLAGS | FLAG_TRUNCATED })),
      udp53(40025, dnsMessage({ questions: [{ name: 'txt.test', type: TYPE.TXT }], answers: [a('txt.test', '192.0.2.41')] })),
      udp53(40026, dnsMessage({ questions: [{ name: 'chaos.test', type: TYPE.A, cls: 3 }], answers: [a('chaos.test', '192.0.2.42')] })),
      udp53(40027, dnsMessage({ questions: [{ name: 'unreached.test', type: TYPE.A }], answers: [a('elsewhere.test', '192.0.2.43')] })),
      // first fragment: the UDP header announces more than this datagram holds
      udpFrom(53, 40028, whole.subarray(0, whole.length - 4), { moreFragments: true }),
    ]);
    const udpLength = p.udp(53, 40028, whole).readUInt16BE(4);
    expect(udpLength).toBe(whole.length + 8);
    expect(r.dnsAnswers.map((x) => x.name)).toEqual(['counted.test']);
    expect(r.finals).toHaveLength(10);
  });
});

/** A question name at offset 12 in raw bytes, then an A answer pointing back to it. */
const rawQuestion = (nameBytes: number[]) =>
  dnsMessage({ questions: [{ name: Buffer.from(nameBytes), type: TYPE.A }], answers: [{ owner: Buffer.from([0xc0, 12]), type: TYPE.A, data: '192.0.2.50' }] });

/**
 * The question's CNAME, and the A answer it leads to, name a pointer to the last of `names`
 * one-label names, each pointing to the one before (kept in an earlier TXT record's data):
 * every pointer points backwards, only the bound on hops stops the walk.
 */
function deepPointerMessage(names: number): Buffer {
  const base = 12 + 7 + 2 + 10; // header, question 'q', the TXT owner (a pointer), its fixed part
  const blob: number[] = [];
  let previous = -1;
  for (let i = 0; i < names; i++) {
    const at = base + blob.length;
    blob.push(1, 0x61 + (i % 26), ...(previous < 0 ? [0] : [0xc0 | (previous >> 8), previous & 0xff]));
    previous = at;
  }
  const deepest = [0xc0 | (previous >> 8), previous & 0xff];
  const message = dnsMessage({
    questions: [{ name: 'q', type: TYPE.A }],
    answers: [
      { owner: 'q', type: TYPE.TXT, data: Buffer.from(blob) },
      { owner: 'q', type: TYPE.CNAME, data: Buffer.from(deepest) },
      { owner: Buffer.from(deepest), type: TYPE.A, data: '192.0.2.54' },
    ],
  });
  expect(message.subarray(base, base + blob.length)).toEqual(Buffer.from(blob));
  return message;
}

describe('malformed DNS responses (generated captures)', () => {
  it('produce no record and no crash: truncated, counts beyond the payload, pointer loops, over-long names, bad lengths', async () => {
    const chain = chainResponse();
    const twoAnswers = dnsMessage({ questions: [{ name: 'count.test', type: TYPE.A }], answers: [a('count.test', '192.0.2.51'), a('count.test', '192.0.2.52')] });
    const label63 = 'x'.repeat(63);
    const lastAnswerBytes = 16; // owner pointer, type, class, TTL, rdlength, 4 address bytes
    // controls: the well-formed messages the malformed ones are made from
    const controls: Array<[string, Buffer, 'udp' | 'tcp']> = [
      ['two answers', twoAnswers, 'udp'],
      ['a one-label raw question', rawQuestion([1, 0x61, 0]), 'udp'],
      ['10 pointer hops', deepPointerMessage(10), 'udp'],
      ['TCP, whole', tcpFramed(twoAnswers), 'tcp'],
    ];
    const cases: Array<[string, Buffer, 'udp' | 'tcp']> = [
      ['cut inside the answer section', chain.subarray(0, chain.length - 60), 'udp'],
      ['header only', chain.subarray(0, 12), 'udp'],
      ['answer count beyond the payload', patched(twoAnswers, 6, [0, 40]), 'udp'],
      ['question count beyond the payload', patched(twoAnswers, 4, [0, 5]), 'udp'],
      ['question name pointing at itself', rawQuestion([0xc0, 12]), 'udp'],
      ['question name pointing forward', rawQuestion([0xc0, 40]), 'udp'],
      ['a label then a pointer back to its own start', rawQuestion([1, 0x61, 0xc0, 12]), 'udp'],
      ['a label running past the end', Buffer.concat([twoAnswers.subarray(0, twoAnswers.length - lastAnswerBytes), Buffer.from([63, 0x61, 0x61])]), 'udp'],
      ['a name over 255 octets', dnsMessage({ questions: [{ name: Array(5).fill(label63).join('.'), type: TYPE.A }], answers: [a('x.test', '192.0.2.53')] }), 'udp'],
      ['an extended label type', rawQuestion([0x41, 0x61, 0]), 'udp'],
      ['rdlength beyond the payload', patched(twoAnswers, twoAnswers.length - 6, [0, 200]), 'udp'],
      ['more than 16 pointer hops', deepPointerMessage(20), 'udp'],
      ['TCP length prefix 0', tcpFramed(twoAnswers, 0), 'tcp'],
      ['TCP length prefix below a header', tcpFramed(twoAnswers.subarray(0, 5), 5), 'tcp'],
      ['TCP segment of one byte', Buffer.from([0]), 'tcp'],
    ];
    const all = [...controls, ...cases];
    const r = await run(all.map(([, message, transport], i) => (transport === 'tcp' ? tcp53(41000 + i, message) : udp53(41000 + i, message))));
    expect(r.dnsAnswers.map((x) => x.name)).toEqual(['count.test', 'a', 'q', 'count.test']);
    expect(r.finals).toHaveLength(all.length);
    expect(r.records.filter((x) => x.kind === 'source_end')).toEqual([{ kind: 'source_end', source: 0 }]);
  });

  it('survive 1,200 mutations of a valid response (every truncation, random byte changes) and report only sane records', async () => {
    const chain = chainResponse();
    const answersEnd = chainResponse(false).length;
    const packets: Packet[] = [];
    for (let cut = 12; cut < chain.length; cut++) packets.push(udp53(42000 + packets.length, chain.subarray(0, cut)));
    const truncations = packets.length;
    let seed = 0x2545f491;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return (seed >>> 8) % n;
    };
    while (packets.length < 1_200) {
      const mutated = Buffer.from(chain);
      for (let k = 1 + random(3); k > 0; k--) mutated[random(mutated.length)] = random(256);
      packets.push(udp53(42000 + packets.length, mutated));
    }
    const r = await run(packets);
    expect(r.finals).toHaveLength(packets.length);
    const portOf = new Map(r.finals.map((f) => [f.flowId, f.upperPort]));
    // a cut inside the answer section loses the record; one in the authority section does not
    const cutAt = (x: DnsAnswerRecord) => 12 + (portOf.get(x.flowId) ?? 0) - 42000;
    const fromCuts = r.dnsAnswers.filter((x) => cutAt(x) - 12 < truncations).map(cutAt);
    expect(fromCuts).toEqual(Array.from({ length: chain.length - answersEnd }, (_, i) => answersEnd + i));
    expect(r.dnsAnswers.length).toBeGreaterThan(0);
    for (const answer of r.dnsAnswers) {
      expect(answer.name).toMatch(/^[\x21-\x2d\x2f-\x40\x5b-\x7e]+(\.[\x21-\x2d\x2f-\x40\x5b-\x7e]+)*$/);
      expect(answer.addresses.length).toBeGreaterThan(0);
      expect(answer.addresses.length).toBeLessThanOrEqual(32);
      for (const address of answer.addresses) expect(Buffer.from(address.bytes)).toEqual(addressBytes(address.ip));
    }
  });
});
