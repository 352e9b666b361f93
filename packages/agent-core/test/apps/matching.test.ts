// Matching: label-suffix domains (most specific wins, never across a label boundary),
// transforms, the CIDR trie for IPv4 and IPv6 (longest prefix wins, later identical prefix
// overwrites), and the order in which a flow's fields are asked.
import { describe, expect, it } from 'vitest';
import { AppDefinitions } from '../../src/apps/app-definitions.js';
import { AppRules } from '../../src/apps/app-rules.js';
import { ApplicationDetector, type ApplicationState } from '../../src/apps/application-detector.js';
import { CidrTrie } from '../../src/apps/cidr-trie.js';
import { parseDefinitions } from '../../src/apps/definitions-parser.js';
import { DnsHintCache } from '../../src/apps/dns-hint-cache.js';
import { parseCidr, parseIp } from '../../src/flow/ip-address.js';
import { flowRecord } from '../flow/records.js';

const TEXT = `
app:10:example.base
app:11:example.media
app:12:example.cdn
app:13:example.single
app:14:example.network
app:15:example.cert
dom:10:example.com
dom:11:media.example.com
dom:12:cdn.example.net
dom:13:intranet
net:14:198.51.100.0/24
net:12:198.51.100.128/25
net:14:2001:db8::/32
net:12:2001:db8:1::/48
net:11:203.0.113.0/24
net:12:203.0.113.0/24
dom:15:cert.example.org
xfm:^edge-[0-9]+\\.example\\.io$:cdn.example.net
`;

const definitions = new AppDefinitions(parseDefinitions(TEXT, 'matching.conf'));
const tag = (host: string) => definitions.findHost(host)?.tag;
const atAddress = (ip: string) => definitions.findAddress(parseIp(ip)!)?.tag;

describe('domain matching', () => {
  it('matches the domain and its subdomains on label boundaries only', () => {
    expect(tag('example.com')).toBe('example.base');
    expect(tag('www.example.com')).toBe('example.base');
    expect(tag('badexample.com')).toBeUndefined();
    expect(tag('example.com.evil.net')).toBeUndefined();
  });

  it('lets the most specific suffix win', () => {
    expect(tag('media.example.com')).toBe('example.media');
    expect(tag('v1.media.example.com')).toBe('example.media');
    expect(tag('mediaxexample.com')).toBeUndefined();
  });

  it('matches a registered single label as a suffix of last resort', () => {
    expect(tag('intranet')).toBe('example.single');
    expect(tag('wiki.intranet')).toBe('example.single');
    expect(tag('com')).toBeUndefined();
  });

  it('rewrites names with transforms before matching, leaving other names as they are', () => {
    expect(tag('edge-17.example.io')).toBe('example.cdn');
    expect(tag('EDGE-17.EXAMPLE.IO'.toLowerCase())).toBe('example.cdn');
    expect(tag('edge-x.example.io')).toBeUndefined();
    expect(tag('www.example.com')).toBe('example.base');
  });
});

describe('CIDR trie', () => {
  it('finds the longest prefix for IPv4 and IPv6', () => {
    expect(atAddress('198.51.100.1')).toBe('example.network');
    expect(atAddress('198.51.100.200')).toBe('example.cdn');
    expect(atAddress('198.51.101.1')).toBeUndefined();
    expect(atAddress('2001:db8:ffff::1')).toBe('example.network');
    expect(atAddress('2001:db8:1:2::3')).toBe('example.cdn');
    expect(atAddress('2001:db9::1')).toBeUndefined();
  });

  it('lets a later identical prefix overwrite the earlier one', () => {
    expect(atAddress('203.0.113.9')).toBe('example.cdn');
  });

  it('keeps IPv4 and IPv6 apart and handles /0, host routes and growth', () => {
    const trie = new CidrTrie();
    const add = (cidr: string, value: number) => {
      const parsed = parseCidr(cidr)!;
      trie.insert(parsed.bytes, parsed.prefix, value);
    };
    add('0.0.0.0/0', 1);
    add('10.1.2.3', 2);
    expect(trie.lookup(parseIp('10.1.2.3')!)).toBe(2);
    expect(trie.lookup(parseIp('10.1.2.4')!)).toBe(1);
    expect(trie.lookup(parseIp('::1')!)).toBe(-1);
    for (let i = 0; i < 3000; i++) add(`100.${i >> 8}.${i & 255}.0/24`, 1000 + i);
    expect(trie.lookup(parseIp('100.11.183.77')!)).toBe(1000 + 11 * 256 + 183);
    expect(trie.size).toBe(3002);
  });
});

describe('detection order for a flow', () => {
  const rules = new AppRules({ definitions, categories: undefined, domainCategories: undefined });

  function detect(record: Parameters<typeof flowRecord>[0], protocol = 196, hints?: DnsHintCache): ApplicationState {
    const detector = new ApplicationDetector(rules, hints);
    const full = flowRecord(record);
    const lower = parseIp(full.lowerIp)!;
    const upper = parseIp(full.upperIp)!;
    const state: ApplicationState = { protocol, application: undefined, apps: detector.begin(lower, upper, false, true) };
    detector.classify(state, full);
    return state;
  }

  it('asks host_server_name before networks, and networks before the certificate CN', () => {
    const both = detect({ upperIp: '198.51.100.7', hostName: 'www.example.com', tls: tls('CN=cert.example.org') });
    expect(both.application?.tag).toBe('example.base');
    const noName = detect({ upperIp: '198.51.100.7', hostName: '', tls: tls('CN=cert.example.org') });
    expect(noName.application?.tag).toBe('example.network');
    const onlyCn = detect({ upperIp: '192.0.2.1', hostName: '', tls: tls('CN=cert.example.org') });
    expect(onlyCn.application?.tag).toBe('example.cert');
  });

  it('takes dns_host_name from the hint cache and looks it up when DPI had no name', () => {
    const hints = new DnsHintCache({ ttlS: 60, maxEntries: 10 });
    hints.learn('v2.media.example.com', parseIp('192.0.2.80')!, 1_000);
    const state = detect({ upperIp: '192.0.2.80', hostName: '', lastSeenMs: 2_000 }, 188, hints);
    expect(state.apps?.dhcHit).toBe(true);
    expect(state.apps?.dnsHostName).toBe('v2.media.example.com');
    expect(state.application?.tag).toBe('example.media');
  });

  it('does not use networks for DNS flows', () => {
    expect(detect({ upperIp: '198.51.100.7', hostName: '' }, 5).application).toBeUndefined();
    expect(detect({ upperIp: '198.51.100.7', hostName: '' }, 7).application?.tag).toBe('example.network');
  });
});

function tls(subjectDn: string) {
  return { version: 0x0303, cipher: 0, sni: '', serverNames: '', issuerDn: '', subjectDn, ja3c: '', ja3s: '', alpnClient: [], alpnServer: '', certSha1: '' };
}
