// Ensures the record-sample CLI produces, from scratch, a capture in which ndpiReader
// finds DNS, TLS with SNI and HTTP with Host, cleans up its lab, and refuses bad arguments.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canCreateNetns, commandAvailable, listNamespaces } from '../src/index.js';
import { ndpiReaderAvailable, readWithNdpi } from './helpers/ndpi-reader.js';
import { namespacesOf, runNode } from './helpers/processes.js';
import { fins, packetLines, resets } from './helpers/tcpdump-read.js';

const cli = fileURLToPath(new URL('../dist/record-sample.js', import.meta.url));
const preflight = await canCreateNetns();
const hasTcpdump = await commandAvailable('tcpdump');
const hasNdpiReader = await ndpiReaderAvailable();
const skipReason = !preflight.ok
  ? preflight.reason
  : !hasTcpdump
    ? 'tcpdump is not installed'
    : !hasNdpiReader
      ? 'ndpiReader is not installed (Debian package libndpi-bin)'
      : undefined;
if (skipReason) console.warn(`record-sample recording test skipped: ${skipReason}`);
const cnameSkipReason = !preflight.ok ? preflight.reason : !hasTcpdump ? 'tcpdump is not installed' : undefined;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netns-lab-record-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('record-sample', () => {
  it.skipIf(skipReason !== undefined)('records a fresh capture where ndpiReader finds DNS, TLS with SNI and HTTP with Host', async () => {
    const out = join(dir, 'fresh.pcap');
    const run = await runNode([cli, '--out', out], { timeoutMs: 45_000 });
    expect(run.stderr).toMatch(/wrote .*fresh\.pcap: \d+ packets, \d+ bytes/);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`capturing on nd-${run.pid}-1-a/veth-a`);
    expect(namespacesOf(await listNamespaces(), run.pid)).toEqual([]);
    expect(await readdir(dir)).toEqual(['fresh.pcap']); // no partial file left beside it

    const report = await readWithNdpi(out);
    const names = (protocol: string) => report.flows.filter((flow) => flow.protocol === protocol).map((flow) => flow.hostname);
    expect(names('DNS')).toEqual(expect.arrayContaining(['www.example.test', 'api.example.test', 'static.example.test']));
    expect(names('TLS').sort()).toEqual(['static.example.test', 'www.example.test']);
    expect(names('HTTP')).toEqual(['api.example.test']);
    expect(names('SSH')).toHaveLength(1);
    expect(report.flows.filter((flow) => flow.protocol === 'ICMP')).toHaveLength(1);
    expect(await resets(out)).toEqual([]);
    expect(await fins(out)).toHaveLength(8);
  });

  it.skipIf(cnameSkipReason !== undefined)('--scenario dns-cname records a CNAME-chained answer with two A records, then HTTP to the second address', async () => {
    const out = join(dir, 'cname.pcap');
    const run = await runNode([cli, '--scenario', 'dns-cname', '--out', out], { timeoutMs: 30_000 });
    expect(run.stderr).toMatch(/wrote .*cname\.pcap: \d+ packets, \d+ bytes/);
    expect(run.code).toBe(0);
    expect(namespacesOf(await listNamespaces(), run.pid)).toEqual([]);
    const dns = await packetLines(out, 'udp src port 53');
    expect(dns).toHaveLength(1);
    expect(dns[0]).toContain('4/0/0 CNAME shop.cdn.test., CNAME edge.cdn.test., A 198.51.100.10, A 198.51.100.11');
    const http = await packetLines(out, 'tcp port 80');
    expect(http.length).toBeGreaterThan(5);
    expect(http.every((line) => line.includes('10.77.0.1.') && line.includes('198.51.100.11.80'))).toBe(true);
    expect(await resets(out)).toEqual([]);
  });

  it.each([
    [['--out', 'x.pcap', '--scenario', 'bogus'], '--scenario must be one of sample, dns-cname (got "bogus")'],
    [[], '--out must name a .pcap file (got "")'],
    [['--out', 'x.txt'], '--out must name a .pcap file (got "x.txt")'],
    [['--out', '/nonexistent-dir/x.pcap'], '--out /nonexistent-dir/x.pcap: directory /nonexistent-dir does not exist'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j with exit 2 and one line', async (args, message) => {
    const run = await runNode([cli, ...args], { timeoutMs: 15_000 });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toContain(`record-sample: ${message}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
