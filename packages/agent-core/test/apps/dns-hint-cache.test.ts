// The DNS hint cache: TTL, LRU bound and its file on their own, then the real agent on real
// captures: DNS answers followed by flows to those addresses (public addresses only, per
// netifyd's class OTHER rule), a flow named only after its first classification, and the
// cache surviving a restart. The engine reports every A/AAAA answer of a response reached
// from its question through CNAMEs (nDPI 4.2 alone keeps only the first); the cache takes
// every public one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentStatusMessage, Flow } from '@netifyd/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { readDhcFile, writeDhcFile } from '../../src/apps/dhc-file.js';
import { addressDigest, DnsHintCache } from '../../src/apps/dns-hint-cache.js';
import { parseIp } from '../../src/flow/ip-address.js';
import { CORPUS_CAPTURES, haveCorpus, REPO, SAMPLE_LAB } from '../e2e/support/paths.js';
import { flowsOf, makeStateDir, runAgent, type StateDir } from './agent-run.js';

const ip = (text: string) => parseIp(text)!;

describe('DnsHintCache', () => {
  it('answers with the learned name until the TTL runs out, refreshing it on every hit', () => {
    const cache = new DnsHintCache({ ttlS: 10, maxEntries: 100 });
    cache.learn('www.example.net', ip('192.0.2.10'), 1_000);
    expect(cache.lookup(ip('192.0.2.10'), 9_000)).toBe('www.example.net');
    expect(cache.lookup(ip('192.0.2.10'), 18_500)).toBe('www.example.net');
    expect(cache.lookup(ip('192.0.2.10'), 29_000)).toBeUndefined();
    expect(cache.lookup(ip('192.0.2.11'), 29_000)).toBeUndefined();
  });

  it('keeps IPv4 and IPv6 keys apart and the newest name for an address', () => {
    const cache = new DnsHintCache({ ttlS: 60, maxEntries: 100 });
    cache.learn('a.example.net', ip('2001:db8::1'), 0);
    cache.learn('b.example.net', ip('2001:db8::1'), 1);
    cache.learn('c.example.net', ip('32.1.13.184'), 2);
    expect(cache.lookup(ip('2001:db8::1'), 3)).toBe('b.example.net');
    expect(cache.lookup(ip('32.1.13.184'), 3)).toBe('c.example.net');
    expect(cache.size).toBe(2);
  });

  it('evicts the least recently used entry beyond its size and purges expired ones', () => {
    const cache = new DnsHintCache({ ttlS: 10, maxEntries: 2 });
    cache.learn('one', ip('192.0.2.1'), 0);
    cache.learn('two', ip('192.0.2.2'), 1_000);
    expect(cache.lookup(ip('192.0.2.1'), 2_000)).toBe('one');
    cache.learn('three', ip('192.0.2.3'), 3_000);
    expect(cache.lookup(ip('192.0.2.2'), 3_000)).toBeUndefined();
    expect(cache.size).toBe(2);
    expect(cache.purge(12_500)).toBe(1);
    expect(cache.lookup(ip('192.0.2.3'), 12_500)).toBe('three');
    expect(cache.purge(30_000)).toBe(1);
    expect(cache.size).toBe(0);
  });

  it('restores saved rows by address digest with a fresh TTL from its first clock', () => {
    const cache = new DnsHintCache({ ttlS: 10, maxEntries: 100 });
    cache.restore([{ host: 'saved.example.net', digest: addressDigest(ip('198.51.100.20')) }]);
    expect(cache.size).toBe(1);
    expect(cache.lookup(ip('198.51.100.21'), 500_000)).toBeUndefined();
    expect(cache.lookup(ip('198.51.100.20'), 505_000)).toBe('saved.example.net');
    expect(cache.rows()).toEqual([{ host: 'saved.example.net', digest: addressDigest(ip('198.51.100.20')), ttlS: 10 }]);
  });
});

describe('dns-cache.csv', () => {
  let state: StateDir | undefined;
  afterEach(() => state?.remove());

  it('round-trips rows and stops reading at the first malformed line, naming it', () => {
    state = makeStateDir();
    const file = join(state.dir, 'dns-cache.csv');
    const digest = addressDigest(ip('203.0.113.5'));
    writeDhcFile(file, [{ host: 'cdn.example.org', digest, ttlS: 42 }]);
    expect(readFileSync(file, 'utf8')).toBe(`"host","addr_digest","ttl"\n"cdn.example.org",${digest},42\n`);
    expect(readDhcFile(file)).toEqual({ rows: [{ host: 'cdn.example.org', digest }] });
    writeFileSync(file, `"host","addr_digest","ttl"\n"ok.example",${digest},1\n"bad host",${digest},1\n"later.example",${digest},1\n`);
    const partial = readDhcFile(file);
    expect(partial.rows).toEqual([{ host: 'ok.example', digest }]);
    expect(partial.problem).toBe(`${file}:3: expected "<host>",<40 hex digits>,<seconds>; rows from here on were not loaded`);
    expect(readDhcFile(join(state.dir, 'none.csv'))).toEqual({ rows: [] });
  });
});

const KAKAO = join(CORPUS_CAPTURES, 'KakaoTalk_chat.pcap');
const KAKAO_SERVER = '210.103.240.15';

function statuses(events: Awaited<ReturnType<typeof runAgent>>['events']): AgentStatusMessage[] {
  return events.flatMap((event) => (event.type === 'tick' ? [event.status] : []));
}

describe('the agent on the lab capture (answers are private addresses)', () => {
  let state: StateDir | undefined;
  afterEach(() => state?.remove());

  it('learns nothing from answers that are not public (class OTHER) addresses', async () => {
    state = makeStateDir();
    const { events } = await runAgent(state.configFile, SAMPLE_LAB);
    const dnsAnswered = flowsOf(events, 'flow_dpi_complete').filter((flow) => flow.detected_protocol === 5);
    expect(dnsAnswered.length).toBe(4);
    expect(flowsOf(events, 'flow_dpi_complete').every((flow) => !flow.dhc_hit && flow.dns_host_name === '')).toBe(true);
    expect(statuses(events).at(-1)).toMatchObject({ dhc_status: true, dhc_size: 0 });
    expect(readFileSync(join(state.dir, 'dns-cache.csv'), 'utf8')).toBe('"host","addr_digest","ttl"\n');
  });
});

/** tools/netns-lab record-sample --scenario dns-cname (captures/README.md). */
const CNAME_LAB = join(REPO, 'captures/dns-cname-lab.pcap');

// makeStateDir runs two detection threads: the answer and the later flow may be handled by
// different ones, and the engine's capture-order delivery still puts the answer first.
describe('the agent on the lab capture with a CNAME chain and two public A records', () => {
  let state: StateDir | undefined;
  afterEach(() => state?.remove());

  it('names a connection to the second address from the question: dhc_hit, dns_host_name, host_server_name', async () => {
    state = makeStateDir();
    const { events } = await runAgent(state.configFile, CNAME_LAB);
    const toSecond = flowsOf(events, 'flow_new').filter((flow) => flow.other_ip === '198.51.100.11');
    expect(toSecond).toHaveLength(1);
    expect(toSecond[0]).toMatchObject({ detected_protocol: 7, dhc_hit: true, dns_host_name: 'www.shop.test', host_server_name: 'www.shop.test' });
    const dns = flowsOf(events, 'flow_dpi_complete').filter((flow) => flow.detected_protocol === 5);
    expect(dns.map((flow) => [flow.host_server_name, flow.dhc_hit])).toEqual([['www.shop.test', false]]);
    // both answer addresses under the question's name; nothing under the CNAME targets
    const saved = readDhcFile(join(state.dir, 'dns-cache.csv')).rows;
    const digests = ['198.51.100.10', '198.51.100.11'].map((address) => addressDigest(ip(address)));
    expect(saved).toEqual(expect.arrayContaining(digests.map((digest) => ({ host: 'www.shop.test', digest }))));
    expect(saved).toHaveLength(2);
  });
});

describe.skipIf(!haveCorpus)('the agent on a public capture with DNS answers followed by flows', () => {
  let state: StateDir | undefined;
  afterEach(() => state?.remove());

  const toServer = (flows: Flow[]) => flows.filter((flow) => flow.other_ip === KAKAO_SERVER && flow.detected_protocol === 196);

  it('names a TLS flow without SNI from an earlier answer: dhc_hit, dns_host_name, host_server_name, application', async () => {
    state = makeStateDir();
    const { events } = await runAgent(state.configFile, KAKAO);
    const [first] = toServer(flowsOf(events, 'flow_new'));
    expect(first).toMatchObject({
      dhc_hit: true,
      dns_host_name: 'plus-talk.kakao.com',
      host_server_name: 'plus-talk.kakao.com',
      detected_application_name: 'netify.kakaotalk',
      category: { application: 1 },
    });
    expect(first!.ssl?.client_sni).toBe('plus-talk.kakao.com');
    const dnsFlows = flowsOf(events, 'flow_dpi_complete').filter((flow) => flow.detected_protocol === 5);
    expect(dnsFlows.length).toBeGreaterThan(10);
    expect(dnsFlows.some((flow) => flow.dhc_hit)).toBe(false);
    const last = statuses(events).at(-1)!;
    expect(last.dhc_status).toBe(true);
    expect(last.dhc_size).toBeGreaterThan(0);
    expect(last.signatures).toMatchObject({ apps: expect.any(Number), domains: expect.any(Number) });
  });

  it('sends detection_updated for a flow whose address is answered only after its first classification', async () => {
    state = makeStateDir();
    const { events } = await runAgent(state.configFile, KAKAO);
    const news = flowsOf(events, 'flow_new').filter((flow) => flow.other_ip === '31.13.68.84' && flow.host_server_name === 'www.facebook.com');
    expect(news[0]).toMatchObject({ dhc_hit: false, dns_host_name: '' });
    const update = flowsOf(events, 'detection_updated').find((flow) => flow.digest === news[0]!.digest);
    expect(update).toMatchObject({ dhc_hit: true, dns_host_name: 'api.facebook.com', host_server_name: 'www.facebook.com', detection_updated: true });
  });

  it('keeps what it learned across a restart (save = persistent) and not with save = disabled', async () => {
    state = makeStateDir();
    await runAgent(state.configFile, KAKAO);
    const saved = readDhcFile(join(state.dir, 'dns-cache.csv'));
    expect(saved.problem).toBeUndefined();
    expect(saved.rows).toContainEqual({ host: 'plus-talk.kakao.com', digest: addressDigest(ip(KAKAO_SERVER)) });

    const withoutDns = await runAgent(state.configFile, KAKAO, 'not port 53');
    expect(flowsOf(withoutDns.events, 'flow_new').some((flow) => flow.detected_protocol === 5)).toBe(false);
    expect(toServer(flowsOf(withoutDns.events, 'flow_new'))[0]).toMatchObject({ dhc_hit: true, dns_host_name: 'plus-talk.kakao.com', detected_application_name: 'netify.kakaotalk' });

    const disabled = makeStateDir('[dns-hint-cache]\nsave = disabled\n');
    try {
      await runAgent(disabled.configFile, KAKAO);
      expect(existsSync(join(disabled.dir, 'dns-cache.csv'))).toBe(false);
      const again = await runAgent(disabled.configFile, KAKAO, 'not port 53');
      expect(toServer(flowsOf(again.events, 'flow_new'))[0]).toMatchObject({ dhc_hit: false, dns_host_name: '' });
    } finally {
      disabled.remove();
    }
  });

  it('saves to the volatile path with save = volatile, and reports dhc_status false with enable = no', async () => {
    state = makeStateDir('[dns-hint-cache]\nsave = volatile\n');
    await runAgent(state.configFile, KAKAO);
    expect(existsSync(join(state.dir, 'volatile', 'dns-cache.csv'))).toBe(true);
    expect(existsSync(join(state.dir, 'dns-cache.csv'))).toBe(false);
    const off = makeStateDir('[dns-hint-cache]\nenable = no\n');
    try {
      const { events } = await runAgent(off.configFile, KAKAO);
      const last = statuses(events).at(-1)!;
      expect(last.dhc_status).toBe(false);
      expect(last.dhc_size).toBeUndefined();
      expect(toServer(flowsOf(events, 'flow_new'))[0]).toMatchObject({ dhc_hit: false, host_server_name: '' });
    } finally {
      off.remove();
    }
  });
});
