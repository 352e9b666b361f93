// Ensures the agent works on a live interface, end to end: in a lab of two network
// namespaces joined by a veth pair, the agent captures veth-a in namespace A with proc-core
// → sink-socket, while real clients in A talk to real servers in B (HTTPS with SNI on 443
// and 8443, DNS, HTTP). A netifyd consumer on the Unix socket must see each flow with the
// right protocol, SNI and host within one update interval, byte counts at least what the
// client and server exchanged, and after SIGTERM exit 0 with every flow purged. Needs root
// and network namespaces; skipped with the reason otherwise. The lab is always destroyed.
import {
  canCreateNetns, createLab, createTestCertificate, queryDns, requestHttp, requestTls,
  startDnsServer, startHttpServer, startTlsServer, type Lab, type LabProcess, type TestCertificate,
} from '@netifyd/netns-lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentInstall } from './support/agent-install.js';
import { replayFlows } from './support/flow-lifecycle.js';
import { CLI, haveSchemas } from './support/paths.js';
import { LengthClient } from './support/stream-clients.js';
import { invalidMessages } from './support/telemetry-schemas.js';
import { waitFor } from './support/wait.js';

const preflight = await canCreateNetns();
if (!preflight.ok) console.log(`live netns test skipped: ${preflight.reason}`);

const UPDATE_INTERVAL_S = 2;
/** Scheduling slack on a shared 2-core machine on top of one update interval. */
const DEADLINE_MS = UPDATE_INTERVAL_S * 1000 + 1500;

type FlowObject = Record<string, any>;
type Message = Record<string, any>;

describe.skipIf(!preflight.ok)('live capture on a veth in a network namespace', () => {
  let lab: Lab | undefined;
  let certificate: TestCertificate | undefined;
  let install: AgentInstall | undefined;
  let agent: LabProcess | undefined;
  let consumer: LengthClient | undefined;
  /** Digests of the flows the tests below found, checked for their purge at the end. */
  const seen: Array<{ digest: string; what: string; tcp: boolean; minLocal: number; minOther: number }> = [];

  beforeAll(async () => {
    lab = await createLab({ namePrefix: 'e2e' });
    certificate = await createTestCertificate(['www.example.test', 'api.example.test']);
    await startDnsServer(lab, lab.nsB, { 'www.example.test': [lab.addrB.ipv4] });
    await startTlsServer(lab, lab.nsB, certificate);
    await startTlsServer(lab, lab.nsB, certificate, { port: 8443 });
    await startHttpServer(lab, lab.nsB);

    install = new AgentInstall({ updateIntervalS: UPDATE_INTERVAL_S, procCore: { sinks: { 'sink-socket': { flows: { types: ['stream-flows', 'stream-stats'] } } } } });
    const socket = install.path('live.sock');
    install.addPlugin('sink-socket', { channels: { flows: { bind_address: `unix://${socket}` } } });
    agent = await lab.spawn(lab.nsA, [process.execPath, CLI, '-c', install.conf, '-I', lab.ifA, '-A', lab.ipv4Cidr], {
      readyPattern: /listening on unix:/,
      readyStream: 'stderr',
      readyTimeoutMs: 15_000,
    });
    consumer = new LengthClient({ path: socket });
    await consumer.connected();
    await waitFor('agent_hello', () => consumer!.messages[0], 5_000);
  }, 60_000);

  afterAll(async () => {
    consumer?.destroy();
    await lab?.destroy();
    await certificate?.remove();
    install?.cleanup();
  }, 30_000);

  const received = (): Message[] => consumer!.messages;

  /** The first message (and when it arrived) matching `predicate`, waited for until `deadline`. */
  async function arrival(what: string, predicate: (message: Record<string, any>) => boolean, deadline: number): Promise<{ message: Record<string, any>; at: number }> {
    const index = await waitFor(what, () => {
      const found = received().findIndex(predicate);
      return found >= 0 ? found : undefined;
    }, Math.max(deadline - Date.now(), 0) + 2_000);
    return { message: received()[index]!, at: consumer!.receivedAt[index]! };
  }

  /**
   * Waits for the flow's `flow_dpi_complete` (it must arrive within one update interval of the
   * exchange, after its `flow` message) and notes the bytes each side must at least have sent.
   */
  async function checkFlow(what: string, done: number, match: (flow: FlowObject) => boolean, minLocal: number, minOther: number): Promise<FlowObject> {
    const complete = await arrival(`${what}: flow_dpi_complete`, (m) => m.type === 'flow_dpi_complete' && match(m.flow), done + DEADLINE_MS);
    expect(complete.at - done, `${what}: detection arrived ${complete.at - done} ms after the exchange`).toBeLessThanOrEqual(DEADLINE_MS);
    const digest = complete.message.flow.digest as string;
    const first = received().findIndex((m) => m.type === 'flow' && m.flow.digest === digest);
    expect(first, `${what}: flow message before flow_dpi_complete`).toBeGreaterThan(0);
    expect(first).toBeLessThan(received().indexOf(complete.message));
    expect(complete.message).toMatchObject({ interface: lab!.ifA, internal: true });
    seen.push({ digest, what, tcp: complete.message.flow.ip_protocol === 6, minLocal, minOther });
    return complete.message.flow;
  }

  /** Sums of a flow's interval counters over its flow_stats/flow_purge received so far. */
  function counted(digest: string): { local: number; other: number; total: number } {
    const stats = received().filter((m) => (m.type === 'flow_stats' || m.type === 'flow_purge') && m.flow.digest === digest);
    return {
      local: stats.reduce((sum, m) => sum + m.flow.local_bytes, 0),
      other: stats.reduce((sum, m) => sum + m.flow.other_bytes, 0),
      total: stats.at(-1)?.flow.total_bytes ?? 0,
    };
  }

  it('HTTPS with SNI to port 443: HTTP/S with ssl.client_sni within one update interval', async () => {
    const result = await requestTls(lab!, lab!.nsA, { address: lab!.addrB.ipv4, servername: 'www.example.test', certificate: certificate!, requestBytes: 4096, responseBytes: 32768 });
    const done = Date.now();
    expect(result).toMatchObject({ status: 200, authorized: true });
    const flow = await checkFlow('TLS 443', done, (f) => f.other_port === 443 && f.ip_protocol === 6, result.bytesSent, result.bytesReceived);
    expect(flow).toMatchObject({
      detected_protocol_name: 'HTTP/S',
      host_server_name: 'www.example.test',
      ssl: { client_sni: 'www.example.test' },
      local_ip: lab!.addrA.ipv4,
      other_ip: lab!.addrB.ipv4,
      local_origin: true,
    });
  });

  it('TLS with SNI to port 8443: TLS with ssl.client_sni within one update interval', async () => {
    const result = await requestTls(lab!, lab!.nsA, { address: lab!.addrB.ipv4, port: 8443, servername: 'api.example.test', certificate: certificate!, responseBytes: 8192 });
    const done = Date.now();
    expect(result.status).toBe(200);
    const flow = await checkFlow('TLS 8443', done, (f) => f.other_port === 8443, result.bytesSent, result.bytesReceived);
    expect(flow).toMatchObject({ detected_protocol_name: 'TLS', host_server_name: 'api.example.test', ssl: { client_sni: 'api.example.test' } });
  });

  it('DNS query to the resolver in B: DNS with the queried name within one update interval', async () => {
    const result = await queryDns(lab!, lab!.nsA, { server: lab!.addrB.ipv4, name: 'www.example.test' });
    const done = Date.now();
    expect(result.answers).toEqual([lab!.addrB.ipv4]);
    // A query carries at least its 34-byte question; the answer adds a 16-byte record.
    const flow = await checkFlow('DNS', done, (f) => f.other_port === 53 && f.ip_protocol === 17, 34, 50);
    expect(flow).toMatchObject({ detected_protocol_name: 'DNS', host_server_name: 'www.example.test' });
  });

  it('HTTP request with a Host header: HTTP with host_server_name within one update interval', async () => {
    const result = await requestHttp(lab!, lab!.nsA, { address: lab!.addrB.ipv4, host: 'api.example.test', path: '/bytes/20000', userAgent: 'netifyd-e2e/1.0' });
    const done = Date.now();
    expect(result.status).toBe(200);
    const flow = await checkFlow('HTTP', done, (f) => f.other_port === 80, 'GET /bytes/20000 HTTP/1.1\r\n'.length, result.bytesReceived);
    expect(flow).toMatchObject({ detected_protocol_name: 'HTTP', host_server_name: 'api.example.test', http: { user_agent: 'netifyd-e2e/1.0' } });
  });

  it('counters of an exchange arrive within one update interval while the link stays idle', async () => {
    const result = await requestHttp(lab!, lab!.nsA, { address: lab!.addrB.ipv4, host: 'idle.example.test', path: '/bytes/5000' });
    const done = Date.now();
    const flow = await checkFlow('HTTP, idle link', done, (f) => f.host_server_name === 'idle.example.test', 1, result.bytesReceived);
    const at = await waitFor('counters covering the exchange', () => {
      const sums = counted(flow.digest);
      return sums.other >= result.bytesReceived && sums.total === sums.local + sums.other ? Date.now() : undefined;
    }, DEADLINE_MS + 2_000);
    expect(at - done).toBeLessThanOrEqual(DEADLINE_MS);
  });

  it('SIGTERM: exit 0, every flow purged once with counters covering its exchange, every message valid', async () => {
    expect(seen.length, 'flows found by the tests above').toBeGreaterThanOrEqual(4);
    const status = await agent!.stop('SIGTERM', 10_000);
    expect(status, agent!.output('stderr').join('\n')).toEqual({ code: 0, signal: null });
    await consumer!.done(5_000);
    expect(consumer!.problems).toEqual([]);
    const messages = consumer!.messages;
    expect(messages[0]?.type).toBe('agent_hello');
    if (haveSchemas) expect(invalidMessages(messages)).toEqual([]);
    const { flows, problems } = replayFlows(messages);
    expect(problems).toEqual([]);
    for (const { digest, what, tcp, minLocal, minOther } of seen) {
      const purged = flows.filter((flow) => flow.digest === digest);
      expect(purged, what).toHaveLength(1);
      // TCP connections ended with FINs; everything else is expired (idle or at shutdown).
      expect(purged[0]!.reason, what).toBe(tcp ? 'closed' : 'expired');
      // Wire bytes (headers, TLS records) are at least the payload each side sent.
      expect(purged[0]!.localBytes, `${what}: bytes from A`).toBeGreaterThanOrEqual(minLocal);
      expect(purged[0]!.otherBytes, `${what}: bytes from B`).toBeGreaterThanOrEqual(minOther);
      expect(counted(digest)).toEqual({ local: purged[0]!.localBytes, other: purged[0]!.otherBytes, total: purged[0]!.purge!.total_bytes });
    }
  });
});
