// Ensures the committed captures/sample-lab.pcap is the project's own lab traffic, small,
// and that ndpiReader detects what captures/README.md says it detects (DNS, TLS with SNI
// www.example.test, HTTP with Host api.example.test, ...).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandAvailable } from '../src/index.js';
import { flowSummary, ndpiReaderAvailable, readWithNdpi, type NdpiReport } from './helpers/ndpi-reader.js';
import { fins, resets } from './helpers/tcpdump-read.js';

const capturePath = fileURLToPath(new URL('../../../captures/sample-lab.pcap', import.meta.url));
const readmePath = fileURLToPath(new URL('../../../captures/README.md', import.meta.url));
const hasNdpiReader = await ndpiReaderAvailable();
const hasTcpdump = await commandAvailable('tcpdump');
if (!hasNdpiReader) console.warn('sample capture detection tests skipped: ndpiReader is not installed (Debian package libndpi-bin)');

describe('captures/sample-lab.pcap', () => {
  it('exists, is a little-endian microsecond pcap of Ethernet frames, and is small', () => {
    expect(existsSync(capturePath)).toBe(true);
    const header = readFileSync(capturePath).subarray(0, 24);
    expect(header.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(header.readUInt32LE(20)).toBe(1); // LINKTYPE_ETHERNET
    const { size } = statSync(capturePath);
    expect(size).toBeGreaterThan(10_000);
    expect(size).toBeLessThan(100_000);
  });

  it.skipIf(!hasTcpdump)('every TCP connection ends with FINs both ways and none with a RST', async () => {
    expect(await resets(capturePath)).toEqual([]);
    expect(await fins(capturePath)).toHaveLength(8); // 2 HTTPS, 1 HTTP, 1 banner: one FIN each way
  });

  describe.skipIf(!hasNdpiReader)('as ndpiReader sees it', () => {
    let report: NdpiReport;
    beforeAll(async () => {
      report = await readWithNdpi(capturePath);
    });

    it('finds DNS queries for www.example.test and api.example.test', () => {
      const dns = report.flows.filter((flow) => flow.protocol === 'DNS');
      expect(dns.map((flow) => flow.hostname)).toEqual(expect.arrayContaining(['www.example.test', 'api.example.test', 'static.example.test']));
      expect(dns.every((flow) => /:53$/.test(flow.server))).toBe(true);
    });

    it('finds TLS with SNI www.example.test (TLS 1.3) and static.example.test (TLS 1.2, IPv6)', () => {
      const tls = report.flows.filter((flow) => flow.protocol === 'TLS');
      expect(tls.map((flow) => flow.hostname).sort()).toEqual(['static.example.test', 'www.example.test']);
      expect(tls.find((flow) => flow.hostname === 'www.example.test')?.line).toContain('[TLSv1.3]');
      expect(tls.find((flow) => flow.hostname === 'static.example.test')?.server).toBe('[fd00:6e64::2]:443');
    });

    it('finds HTTP with Host api.example.test and the scripted User-Agent', () => {
      const http = report.flows.filter((flow) => flow.protocol === 'HTTP');
      expect(http).toHaveLength(1);
      expect(http[0]?.hostname).toBe('api.example.test');
      expect(http[0]?.line).toContain('[User-Agent: netns-lab/1.0 (sample capture)]');
    });

    it('holds only the lab’s own addresses (10.77.0.0/24, fd00:6e64::/64, link multicast)', () => {
      const endpoints = report.flows.flatMap((flow) => [flow.client, flow.server]);
      for (const endpoint of endpoints) expect(endpoint).toMatch(/^(10\.77\.0\.[12]:\d+|\[fd00:6e64::[12]\]:\d+|\[ff02::1:ff00:[12]\]:\d+)$/);
    });

    it('matches the detections documented in captures/README.md', () => {
      const readme = readFileSync(readmePath, 'utf8');
      expect(block(readme, 'ndpi-detected')).toEqual(report.detectedProtocols);
      expect(block(readme, 'ndpi-flows')).toEqual(flowSummary(report));
    });
  });
});

/** Lines of the fenced block between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
function block(markdown: string, name: string): string[] {
  const match = new RegExp(`<!-- ${name}:start -->\\n\`\`\`\\n([\\s\\S]*?)\`\`\`\\n<!-- ${name}:end -->`).exec(markdown);
  return (match?.[1] ?? '').split('\n').filter((line) => line !== '').map((line) => line.trim().replace(/\s+/g, ' '));
}
