// Ensures the flow model works on the real engine's records: every capture of the corpus
// goes through native-dpi's Engine and the FlowModel, every message the events produce
// validates against the v5 telemetry schemas, each flow follows new → (updates) → complete
// → expire → purge under one stable digest, and the github and IPv6 flows come out as
// netifyd 5.0.7 reported them. Skipped (with the reason printed) without the built addon or
// the corpus.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineRecord } from '../../src/flow/engine-records.js';
import { FlowModel, type FlowModelEvent } from '../../src/flow/flow-model.js';
import { parseIp } from '../../src/flow/ip-address.js';
import type { FlowTick } from '../../src/flow/tick-assembler.js';
import { haveSchemas, REPO } from './design-files.js';
import { invalidMessages } from './wire.js';

interface EngineLike {
  addFileSource(source: { name: string; path: string }): number;
  start(onBatch: (records: EngineRecord[]) => void): void;
  whenDone(): Promise<void>;
  close(): Promise<void>;
}
interface NativeDpi {
  Engine: (new (options?: Record<string, unknown>) => EngineLike) & { ndpiProtocols(): Array<{ id: number; category: number }> };
}

const CORPUS = resolve(REPO, process.env.NETIFYD_CORPUS ?? '../shared/pcap');
const CAPTURES = join(CORPUS, 'captures');
const NATIVE_SPECIFIER = '@netifyd/native-dpi';
const addonBuilt = existsSync(join(REPO, 'packages/native-dpi/build/Release/native_dpi.node')) || existsSync(join(REPO, 'packages/native-dpi/prebuilds'));
const native = addonBuilt ? ((await import(NATIVE_SPECIFIER).catch(() => undefined)) as NativeDpi | undefined) : undefined;
const haveCorpus = existsSync(CAPTURES);
const skipReason = !native?.Engine ? 'native-dpi is not built (npm run build -w @netifyd/native-dpi)' : !haveCorpus ? `no corpus at ${CAPTURES} (set NETIFYD_CORPUS)` : !haveSchemas ? 'v5 schemas not found' : undefined;
if (skipReason) console.log(`engine corpus test skipped: ${skipReason}`);

const captures = haveCorpus ? readdirSync(CAPTURES).filter((file) => /\.pcap(ng)?$/.test(file)).sort() : [];

/** Runs one capture through a real engine and a FlowModel; `undefined` if the engine refuses the file. */
async function runCapture(file: string): Promise<{ events: FlowModelEvent[]; refused?: string }> {
  const engine = new native!.Engine({ detectionThreads: 1 });
  try {
    try {
      engine.addFileSource({ name: 'offline0', path: join(CAPTURES, file) });
    } catch (error) {
      return { events: [], refused: (error as Error).message };
    }
    const model = new FlowModel({ sources: [{ source: 0, name: 'offline0', role: 'lan', captureFile: file }], ndpiProtocols: native!.Engine.ndpiProtocols() });
    const events: FlowModelEvent[] = [];
    engine.start((records) => {
      for (const event of model.onRecords(records)) events.push(event);
    });
    await engine.whenDone();
    return { events };
  } finally {
    await engine.close();
  }
}

/** Checks the per-flow order and digest invariants; returns what is wrong. */
function lifecycleProblems(events: FlowModelEvent[]): string[] {
  const problems: string[] = [];
  const stage = new Map<string, string>();
  for (const event of events) {
    if (event.type === 'tick') {
      for (const entry of event.purged) {
        const digest = entry.flow.digest;
        if (stage.get(digest) !== 'flow_expire') problems.push(`${digest}: purged after ${stage.get(digest)}`);
        // A later flow may reuse the 5-tuple (and so the digest) once this one is purged.
        stage.delete(digest);
      }
      for (const entry of event.flowStats) if (!stage.has(entry.flow.digest)) problems.push(`${entry.flow.digest}: stats for an unknown flow`);
      continue;
    }
    if (event.type === 'source_end') continue;
    const digest = event.flow.digest;
    const before = stage.get(digest);
    const allowed: Record<string, Array<string | undefined>> = {
      flow_new: [undefined],
      detection_updated: ['flow_new', 'detection_updated'],
      flow_dpi_complete: ['flow_new', 'detection_updated'],
      flow_expire: ['flow_dpi_complete'],
    };
    if (!allowed[event.type]!.includes(before)) problems.push(`${digest}: ${event.type} after ${before}`);
    stage.set(digest, event.type);
  }
  for (const [digest, last] of stage) problems.push(`${digest}: never purged (last ${last})`);
  return problems;
}

describe.skipIf(skipReason !== undefined)('real engine records from the corpus', () => {
  it.each(captures)('%s: every message validates and every flow completes its lifecycle', async (file) => {
    const { events, refused } = await runCapture(file);
    if (refused) {
      console.log(`${file}: engine refused the file (${refused})`);
      return;
    }
    expect(invalidMessages(events)).toEqual([]);
    expect(lifecycleProblems(events)).toEqual([]);
    const ticks = events.filter((event): event is FlowTick => event.type === 'tick');
    expect(ticks.at(-1)?.final).toBe(true);
    expect(ticks.at(-1)?.figures.flowCount).toBe(0);
  });

  it('443-git: the github flow as netifyd reported it', async () => {
    const { events } = await runCapture('443-git.pcap');
    const complete = events.find((event) => event.type === 'flow_dpi_complete') as Extract<FlowModelEvent, { type: 'flow_dpi_complete' }>;
    expect(complete.flow).toMatchObject({
      digest: '6bbc92483adc2d1bb65ef2afa5c1c07e1cb991fc',
      detected_protocol: 196,
      detected_protocol_name: 'HTTP/S',
      detected_application_name: 'netify.github',
      host_server_name: 'github.com',
      local_ip: '192.168.1.13', local_port: 55744, local_mac: '28:37:37:00:6d:c8',
      other_ip: '140.82.114.4', other_port: 443, other_mac: '10:13:31:f1:39:76',
      other_type: 'remote', local_origin: true, detection_guessed: false,
    });
    expect(complete.flow.ssl).toMatchObject({
      version: '0x0303', cipher_suite: '0xc02f', client_sni: 'github.com', server_cn: 'github.com',
      fingerprint: 'ca06f56b258b7a0d4f2b05470939478651151984', alpn: ['http/1.1'],
      subject_dn: 'C=US, ST=California, L=San Francisco, O=GitHub, Inc., CN=github.com',
    });
    const purge = events.filter((event): event is FlowTick => event.type === 'tick').flatMap((tick) => tick.purged);
    expect(purge).toHaveLength(1);
    expect(purge[0]).toMatchObject({ reason: 'closed', flow: { local_bytes: 3167, local_packets: 35, other_bytes: 34022, other_packets: 35, total_bytes: 37189, total_packets: 70, tcp: { resets: 3 } } });
  });

  it('http_ipv6: two public IPv6 addresses make the upper one local, as in netifyd', async () => {
    const { events } = await runCapture('http_ipv6.pcap');
    const flows = events.filter((event): event is Extract<FlowModelEvent, { type: 'flow_dpi_complete' }> => event.type === 'flow_dpi_complete');
    expect(flows.length).toBeGreaterThan(0);
    const publicPairs = flows.filter(({ flow }) => flow.ip_version === 6 && flow.other_type === 'remote' && !flow.local_ip.startsWith('fe80'));
    expect(publicPairs.length).toBeGreaterThan(0);
    for (const { flow } of publicPairs) {
      expect(Buffer.compare(Buffer.from(parseIp(flow.local_ip)!), Buffer.from(parseIp(flow.other_ip)!)), `${flow.local_ip} vs ${flow.other_ip}`).toBe(1);
    }
    const google = flows.find(({ flow }) => flow.host_server_name === 'www.google.it' && flow.ip_protocol === 17);
    expect(google?.flow).toMatchObject({ local_ip: '2a00:1450:4001:803::1017', other_ip: '2a00:d40:1:3:7aac:c0ff:fea7:d4c', local_port: 443, local_origin: false, detected_protocol: 188 });
  });

  it('digests are the same on a second run', async () => {
    const digests = async () => (await runCapture('1kxun.pcap')).events.flatMap((event) => (event.type === 'flow_new' ? [event.flow.digest] : [])).sort();
    const first = await digests();
    expect(first.length).toBeGreaterThan(50);
    expect(await digests()).toEqual(first);
  });
});
