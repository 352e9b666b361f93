// Ensures the engine, run on real captures of the shared corpus, reports flows and the
// metadata nDPI extracts (TLS, HTTP, DNS, DHCP, SSH, BitTorrent, mDNS) as ndpiReader 4.2 did.
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../src/index.js';
import { capturePath, corpusAvailable } from './helpers/corpus.js';
import { runCapture } from './helpers/run-engine.js';

function byEndpoint(finals: FlowRecord[], ip: string, port: number): FlowRecord {
  const found = finals.find((f) => (f.lowerIp === ip && f.lowerPort === port) || (f.upperIp === ip && f.upperPort === port));
  if (!found) throw new Error(`no flow with endpoint ${ip}:${port}`);
  return found;
}

describe.skipIf(!corpusAvailable)('corpus captures: detection and metadata', () => {
  it('443-git.pcap: one TLS.Github flow with SNI, certificate and JA3 as ndpiReader printed them', async () => {
    const run = await runCapture(capturePath('443-git.pcap'));
    expect(run.finals).toHaveLength(1);
    const f = run.finals[0] as FlowRecord;
    expect(f).toMatchObject({
      kind: 'expire',
      ipVersion: 4,
      ipProtocol: 6,
      lowerIp: '140.82.114.4',
      lowerPort: 443,
      upperIp: '192.168.1.13',
      upperPort: 55744,
      originLower: false,
      protocolName: 'TLS.Github',
      ndpiMaster: 91,
      ndpiApp: 203,
      ndpiCategory: 15,
      confidence: 'DPI',
      guessed: false,
      hostName: 'github.com',
      detectionPackets: 7,
      reason: 'closed',
      tcpFinAck: true,
    });
    expect(f.lowerPackets + f.upperPackets).toBe(70);
    expect(f.lowerBytes + f.upperBytes).toBe(37189);
    expect(f.upperPackets).toBe(35);
    expect(f.upperBytes).toBe(3167);
    expect(f.tls).toEqual({
      version: 0x0303,
      cipher: 0xc02f,
      sni: 'github.com',
      serverNames: 'github.com,www.github.com',
      issuerDn: 'C=US, O=DigiCert Inc, OU=www.digicert.com, CN=DigiCert SHA2 Extended Validation Server CA',
      subjectDn: 'C=US, ST=California, L=San Francisco, O=GitHub, Inc., CN=github.com',
      ja3c: '2a26b1a62e40d25d4de3babc9d532f30',
      ja3s: 'ae53107a2e47ea20c72ac44821a728bf',
      alpnClient: ['http/1.1'],
      alpnServer: '',
      certSha1: 'ca06f56b258b7a0d4f2b05470939478651151984',
    });
    expect(f.firstSeenMs).toBeLessThan(f.lastSeenMs);
    expect(f.lowerMac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  it('443-git.pcap: new, then a dpi_update when the certificate arrives, then dpi_complete and expire', async () => {
    const run = await runCapture(capturePath('443-git.pcap'));
    const kinds = [...run.byFlow.values()][0]?.map((r) => r.kind);
    expect(kinds).toEqual(['new', 'dpi_update', 'dpi_complete', 'expire']);
    const first = [...run.byFlow.values()][0]?.[0] as FlowRecord;
    expect(first.hostName).toBe('github.com');
    expect(first.tls?.certSha1).toBe('');
  });

  it('ssh.pcap: each SSH banner on the side that sent it (the server, port 22, speaks first)', async () => {
    const run = await runCapture(capturePath('ssh.pcap'));
    const f = byEndpoint(run.finals, '172.16.238.168', 22);
    expect(f.protocolName).toBe('SSH');
    expect(f.ssh).toEqual({ client: 'SSH-2.0-OpenSSH_5.6', server: 'SSH-2.0-OpenSSH_5.3' });
    expect(f.lowerPackets + f.upperPackets).toBe(258);
  });

  it('bittorrent.pcap: BitTorrent flows carry the info hash', async () => {
    const run = await runCapture(capturePath('bittorrent.pcap'));
    const hashes = new Set(run.finals.map((f) => f.bt?.infoHash).filter(Boolean));
    expect(hashes.has('dcfcdccfb9e670ccc3dd40c78c161f2bea243126')).toBe(true);
    expect(run.finals.every((f) => f.protocolName === 'BitTorrent')).toBe(true);
  });

  it('1kxun.pcap: HTTP URL and status, DNS query and answer, DHCP fingerprint and host name', async () => {
    const run = await runCapture(capturePath('1kxun.pcap'));
    const http = run.finals.find((f) => f.lowerPort === 49613 || f.upperPort === 49613);
    expect(http?.http?.url.startsWith('183.131.48.144/vlive.qqvideo.tc.qq.com/u0020mkrnds.p1203.1.mp4?vkey=')).toBe(true);
    expect(http?.http?.responseCode).toBe(206);
    const dns = run.finals.find((f) => f.lowerPort === 63372 || f.upperPort === 63372);
    expect(dns?.protocolName).toBe('DNS');
    expect(dns?.dns).toMatchObject({ query: 'dl-obs.official.line.naver.jp', qtype: 1, rcode: 0, answers: ['203.69.81.73'] });
    const dhcp = run.finals.find((f) => f.lowerIp === '0.0.0.0' && f.lowerPort === 68);
    expect(dhcp?.hostName).toBe('shen');
    expect(dhcp?.dhcp?.fingerprint).toBe('1,121,3,6,15,119,252');
  });

  it('reports the mDNS answer and risk ids with their scores', async () => {
    const run = await runCapture(capturePath('1kxun.pcap'));
    const mdns = run.finals.find((f) => f.protocolName === 'MDNS' && f.mdns);
    expect(mdns?.mdns?.answer).toBe(mdns?.hostName);
    const bt = await runCapture(capturePath('bittorrent.pcap'));
    const risky = bt.finals.find((f) => f.risks.length > 0);
    expect(risky?.riskScore).toBeGreaterThan(0);
    expect([...(risky?.risks ?? [])].sort((a, b) => a - b)).toEqual(risky?.risks);
  });
});
