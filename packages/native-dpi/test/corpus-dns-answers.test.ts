// dns_answer records on corpus captures with DNS responses that carry several A/AAAA answers,
// CNAME chains, IPv6, fragments and repeated answers on one 5-tuple: the engine's records are
// held against tcpdump's decoding of the same responses, then a few known answers by value.
import { describe, expect, it } from 'vitest';
import type { DnsAnswerRecord, FlowRecord } from '../src/index.js';
import { capturePath, corpusAvailable } from './helpers/corpus.js';
import { runCapture, type EngineRun } from './helpers/run-engine.js';
import { tcpdumpAvailable, tcpdumpDnsAnswers } from './helpers/tcpdump-dns.js';

if (corpusAvailable && !tcpdumpAvailable) console.warn('native-dpi: DNS answers vs tcpdump skipped: tcpdump is not installed');

const CAPTURES = [
  'KakaoTalk_chat.pcap',
  'iphone.pcap',
  'dropbox.pcap',
  'alexa-app.pcapng',
  'dns_fragmented.pcap',
  'dns_ambiguous_names.pcap',
  'telegram.pcap',
  'viber.pcap',
  'starcraft_battle.pcap',
  'nest_log_sink.pcap',
];

const line = (x: { timeMs: number; name: string; addresses: ReadonlyArray<string | { ip: string }> }) =>
  `${x.timeMs} ${x.name} ${x.addresses.map((a) => (typeof a === 'string' ? a : a.ip)).join(',')}`;

const runs = new Map<string, Promise<EngineRun>>();
/** One detection thread: records in packet order. Each capture runs once per file. */
const runOf = (name: string) => {
  let run = runs.get(name);
  if (!run) runs.set(name, (run = runCapture(capturePath(name), { detectionThreads: 1 })));
  return run;
};

const answer = (run: EngineRun, name: string): DnsAnswerRecord => {
  const found = run.dnsAnswers.find((x) => x.name === name);
  expect(found, name).toBeDefined();
  return found!;
};

describe.skipIf(!corpusAvailable || !tcpdumpAvailable)('dns_answer records on corpus captures, against tcpdump', () => {
  it.each(CAPTURES)('%s: one record per response, with every A/AAAA answer reached from the question', async (name) => {
    const expected = tcpdumpDnsAnswers(capturePath(name)).map(line).sort();
    expect(expected.length).toBeGreaterThan(0);
    const run = await runOf(name);
    expect(run.dnsAnswers.map(line).sort()).toEqual(expected);
  });
});

describe.skipIf(!corpusAvailable)('dns_answer records on corpus captures, by value', () => {
  it('KakaoTalk_chat.pcap: four addresses behind a CNAME, a two-link chain, raw bytes and TTLs', async () => {
    const run = await runOf('KakaoTalk_chat.pcap');
    const katalk = answer(run, 'katalk.kakao.com');
    expect(katalk).toMatchObject({ kind: 'dns_answer', qtype: 1, source: 0 });
    expect(katalk.addresses.map((a) => `${a.ip} ${a.ttl} ${Array.from(a.bytes).join('.')}`)).toEqual([
      '110.76.142.34 122 110.76.142.34',
      '1.201.0.61 122 1.201.0.61',
      '1.201.0.63 122 1.201.0.63',
      '110.76.141.37 122 110.76.141.37',
    ]);
    // graph.facebook.com CNAME api.facebook.com CNAME star.c10r.facebook.com A 31.13.68.70
    expect(answer(run, 'graph.facebook.com').addresses.map((a) => a.ip)).toEqual(['31.13.68.70']);
    // nDPI's own dns section of the flow is unchanged: it keeps the first answer only
    const flow = run.finals.find((f) => f.flowId === katalk.flowId) as FlowRecord;
    expect(flow.dns).toMatchObject({ query: 'katalk.kakao.com', answers: ['110.76.142.34'] });
  });

  it('dns_fragmented.pcap: two AAAA answers over IPv6; the first fragment of a response gives none', async () => {
    const run = await runOf('dns_fragmented.pcap');
    const erfpop = answer(run, 'erfpop.de');
    expect(erfpop.qtype).toBe(28);
    expect(erfpop.addresses.map((a) => `${a.ip} ${a.bytes.length}`)).toEqual(['2606:4700:30::6818:6291 16', '2606:4700:30::6818:6391 16']);
    // fg2.weberlab.de's A 194.247.4.10 arrives in the first fragment of a 1.5 KB response
    expect(run.dnsAnswers.some((x) => x.addresses.some((a) => a.ip === '194.247.4.10'))).toBe(false);
  });

  it.each(['dropbox.pcap', 'nest_log_sink.pcap', 'starcraft_battle.pcap'])(
    '%s: later responses on one 5-tuple, after its dpi_complete, give records too',
    async (name) => {
      const run = await runOf(name);
      const completedAt = new Map<number, number>();
      run.records.forEach((r, i) => {
        if (r.kind === 'dpi_complete') completedAt.set(r.flowId, i);
      });
      const seen = new Map<number, number>();
      let later = 0;
      run.records.forEach((r, i) => {
        if (r.kind !== 'dns_answer') return;
        const count = (seen.get(r.flowId) ?? 0) + 1;
        seen.set(r.flowId, count);
        if (count > 1 && (completedAt.get(r.flowId) ?? Infinity) < i) later++;
      });
      expect(later).toBeGreaterThan(0);
    },
  );
});
