// Ensures the whole main job holds on real traffic: the agent CLI reads a capture, proc-core
// turns the events into netifyd messages and sink-log writes them. Every line written must
// validate against Netify's v5 telemetry schemas, every flow must follow flow → updates →
// complete → purge exactly once, every line must be netifyd's canonical JSON text, the
// counters must add up, flows must agree with ndpiReader, and a second run must give the
// same digests. The project's own capture always runs; the public corpus runs when present
// (NETIFYD_CORPUS), a chosen set by default, all of it with NETIFYD_E2E_CORPUS=all.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeJson } from '@netifyd/proc-core';
import { afterAll, describe, expect, it } from 'vitest';
import { killLeftoverAgents } from './support/agent-process.js';
import { runCaptureToLog, stderrProblems, SUMMARY_LINE, type CaptureRun } from './support/capture-run.js';
import { replayFlows, type FlowLifecycle } from './support/flow-lifecycle.js';
import { compareWithNdpiReader, readNdpiFlows } from './support/ndpi-reader.js';
import { CORPUS_CAPTURES, CORPUS_EXPECTED, haveCorpus, haveSchemas, SAMPLE_LAB, SCHEMA_DIR } from './support/paths.js';
import { invalidMessages } from './support/telemetry-schemas.js';

if (!haveSchemas) console.log(`v5 telemetry schemas not found in ${SCHEMA_DIR} (set NETIFYD_DESIGN): schema validation skipped`);
if (!haveCorpus) console.log(`public capture corpus not found at ${CORPUS_CAPTURES} (set NETIFYD_CORPUS): corpus pipeline tests skipped`);

/** Chosen for variety: TLS/QUIC/HTTP/DNS, P2P, tunnels, odd link types, fragments, fuzzed and truncated files. */
const CHOSEN = [
  '443-git.pcap', 'http_ipv6.pcap', 'quic.pcap', 'ssh.pcap', 'bittorrent.pcap', '1kxun.pcap',
  'tls_alert.pcap', 'ssl-cert-name-mismatch.pcap', 'tls_port_80.pcapng', 'youtube_quic.pcap', 'quic_t50.pcap',
  'dns_dot.pcap', 'malformed_dns.pcap', 'dns_fragmented.pcap', 'dhcp-fuzz.pcapng', 'ssdp-m-search.pcap',
  'netbios.pcap', 'sip.pcap', 'rtsp.pcap', 's7comm.pcap', 'smtp.pcap', 'ftp.pcap', 'wireguard.pcap',
  'openvpn.pcap', 'bittorrent_utp.pcap', '4in6tunnel.pcap', '6in4tunnel.pcap', 'teredo.pcap',
  'gtp_false_positive.pcapng', 'dlt_ppp.pcap', 'BGP_Cisco_hdlc_slarp.pcap', 'ip_fragmented_garbage.pcap',
  'fuzz-2006-06-26-2594.pcap', 'fuzz-2021-10-13.pcap', 'memcached.cap', 'whois.pcapng', 'among_us.pcap',
];
const corpusCaptures = !haveCorpus
  ? []
  : process.env.NETIFYD_E2E_CORPUS === 'all'
    ? readdirSync(CORPUS_CAPTURES).filter((file) => /\.(pcap|pcapng|cap)$/.test(file)).sort()
    : CHOSEN.filter((file) => existsSync(join(CORPUS_CAPTURES, file)));

afterAll(killLeftoverAgents);

/** The checks every run must pass, whatever the capture; returns the reassembled flows. */
function checkRun(run: CaptureRun): FlowLifecycle[] {
  const { exit, messages } = run;
  expect(exit.code, exit.stderr).toBe(0);
  const stderrLines = exit.stderr.trimEnd().split('\n');
  expect(stderrLines.at(-1)).toMatch(SUMMARY_LINE);
  expect(stderrLines.filter((line) => SUMMARY_LINE.test(line))).toHaveLength(1);
  expect(stderrProblems(exit.stderr)).toEqual([]);
  expect(run.logFiles.filter((file) => file.startsWith('.')), 'no temporary file left behind').toEqual([]);

  expect(messages[0]?.type).toBe('agent_hello');
  expect(messages.filter((message) => message.type === 'agent_hello')).toHaveLength(1);
  if (haveSchemas) expect(invalidMessages(messages)).toEqual([]);
  // netifyd's JSON text (keys in byte order, compact, ASCII): each line is exactly what
  // encoding its own content writes, whichever way proc-core put it together.
  expect(run.lines.filter((line) => encodeJson(JSON.parse(line)) !== line)).toEqual([]);
  const { flows, problems } = replayFlows(messages);
  expect(problems).toEqual([]);

  // The summary counts the flows the messages describe; the final tick leaves none behind.
  const summary = SUMMARY_LINE.exec(stderrLines.at(-1)!)!;
  expect(flows.length).toBe(Number(summary[2]));
  const statuses = messages.filter((message) => message.type === 'agent_status');
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.at(-1)).toMatchObject({ flow_count: 0 });
  for (const type of ['interfaces', 'interface_stats', 'global_stats', 'endpoints']) {
    expect(messages.some((message) => message.type === type), type).toBe(true);
  }
  return flows;
}

/** Per flow the digest and its message sequence, comparable across runs. */
function flowMessages(run: CaptureRun): string[] {
  return run.messages
    .filter((message) => typeof message.flow === 'object')
    .map((message) => JSON.stringify(message))
    .sort();
}

describe('sample-lab.pcap through CLI → proc-core → sink-log', () => {
  let first: CaptureRun;

  it('every line validates, every flow completes its lifecycle, exit 0 with one summary line', async () => {
    first = await runCaptureToLog(SAMPLE_LAB, { updateIntervalS: 1 });
    const flows = checkRun(first);
    expect(flows).toHaveLength(12);
    const byName = (name: string) => flows.filter((flow) => flow.complete?.host_server_name === name);
    const tls = byName('www.example.test').find((flow) => flow.first.ip_protocol === 6)!;
    expect(tls.complete).toMatchObject({ detected_protocol_name: 'HTTP/S', other_port: 443, ssl: { client_sni: 'www.example.test' } });
    expect(tls.reason).toBe('closed');
    const http = byName('api.example.test').find((flow) => flow.first.ip_protocol === 6)!;
    expect(http.complete).toMatchObject({ detected_protocol_name: 'HTTP', other_port: 80, http: { user_agent: 'netns-lab/1.0 (sample capture)' } });
    expect(flows.filter((flow) => flow.complete?.detected_protocol_name === 'DNS')).toHaveLength(4);
  });

  it('SSH: ssh.server is the banner the server sent, ssh.client the client\'s', () => {
    const ssh = replayFlows(first.messages).flows.find((flow) => flow.complete?.detected_protocol_name === 'SSH');
    expect(ssh?.complete?.ssh).toEqual({ client: 'SSH-2.0-netns_lab_client_1.0', server: 'SSH-2.0-netns_lab_server_1.0' });
  });

  it('agrees with ndpiReader run on the same file: every flow, packets and bytes per direction, host names', () => {
    let ndpiReader = true;
    try {
      execFileSync('ndpiReader', ['-h'], { stdio: 'ignore', timeout: 10_000 });
    } catch (error) {
      ndpiReader = (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
    if (!ndpiReader) {
      console.log('ndpiReader not installed (Debian libndpi-bin): comparison on sample-lab.pcap skipped');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'netifyd-e2e-ndpi-'));
    try {
      const out = join(dir, 'sample-lab.out');
      execFileSync('ndpiReader', ['-q', '-t', '-v', '2', '-i', SAMPLE_LAB, '-w', out], { stdio: 'ignore', timeout: 30_000 });
      const expected = readNdpiFlows(out);
      expect(expected.length).toBe(12);
      const { matched, differences } = compareWithNdpiReader(replayFlows(first.messages).flows, expected);
      expect(differences).toEqual([]);
      expect(matched).toBe(expected.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a second run gives the same digests and the same flow messages', async () => {
    const second = await runCaptureToLog(SAMPLE_LAB, { updateIntervalS: 1 });
    checkRun(second);
    expect(flowMessages(second)).toEqual(flowMessages(first));
  });
});

describe.skipIf(!haveCorpus)('public captures through CLI → proc-core → sink-log', () => {
  const runs = new Map<string, CaptureRun>();

  it.each(corpusCaptures)('%s: every line validates, every flow completes its lifecycle', async (file) => {
    const run = await runCaptureToLog(join(CORPUS_CAPTURES, file));
    runs.set(file, run);
    checkRun(run);
  }, 90_000);

  it.each(['443-git.pcap', 'http_ipv6.pcap', 'quic.pcap', 'ssh.pcap'])('%s: flows agree with ndpiReader by 5-tuple (packets, bytes, host name)', (file) => {
    const run = runs.get(file);
    expect(run, `${file} ran above`).toBeDefined();
    const expected = readNdpiFlows(join(CORPUS_EXPECTED, `${file}.out`));
    expect(expected.length).toBeGreaterThan(0);
    const { matched, differences } = compareWithNdpiReader(replayFlows(run!.messages).flows, expected);
    expect(differences).toEqual([]);
    expect(matched).toBe(expected.length);
  });

  it('443-git: the github flow with netifyd\'s protocol, SNI and totals', () => {
    const flows = replayFlows(runs.get('443-git.pcap')!.messages).flows;
    expect(flows).toHaveLength(1);
    expect(flows[0]!.complete).toMatchObject({
      digest: '6bbc92483adc2d1bb65ef2afa5c1c07e1cb991fc',
      detected_protocol_name: 'HTTP/S',
      host_server_name: 'github.com',
      ssl: { client_sni: 'github.com' },
    });
    expect(flows[0]!.purge).toMatchObject({ total_packets: 70, total_bytes: 37189 });
  });

  // With the DNS hint cache on: a DNS answer and a flow to its address may be handled by
  // different detection threads, and the engine still delivers them in capture order, so
  // dhc_hit/dns_host_name too are the same in every run.
  it.each(['1kxun.pcap', 'quic.pcap'])('%s: a second run gives the same digests and flow messages', async (file) => {
    const first = runs.get(file) ?? (await runCaptureToLog(join(CORPUS_CAPTURES, file)));
    const second = await runCaptureToLog(join(CORPUS_CAPTURES, file));
    checkRun(first);
    checkRun(second);
    expect(flowMessages(second)).toEqual(flowMessages(first));
  }, 90_000);
});
