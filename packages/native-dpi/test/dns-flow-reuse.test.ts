// netifyd's DNS flow reuse (FORMATS §6.2) on generated captures: with dnsFlowReuse, each A/AAAA
// query on a port-53 flow whose detection is over restarts the flow (counters, detection) and
// gets its own new…dpi_complete sequence under the same flowId; other messages never restart.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../src/index.js';
import { dnsMessage, RESPONSE_FLAGS, TYPE } from './helpers/dns-messages.js';
import * as p from './helpers/packets.js';
import { LINKTYPE, writePcap } from './helpers/pcap-writer.js';
import { recordOrderProblems, runCapture, type EngineRun } from './helpers/run-engine.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir('native-dpi-dns-reuse');
const T0 = 1_700_000_000_000_000;
const CLIENT = '192.168.7.2';
const SERVER = '192.0.2.53';
const CLIENT_PORT = 40_000;

const fromClient = (message: Buffer): Buffer =>
  p.ethernet(0x0800, p.ipv4({ src: CLIENT, dst: SERVER, protocol: 17, payload: p.udp(CLIENT_PORT, 53, message) }));
const fromServer = (message: Buffer): Buffer =>
  p.ethernet(0x0800, p.ipv4({ src: SERVER, dst: CLIENT, protocol: 17, payload: p.udp(53, CLIENT_PORT, message) }));

const query = (name: string, type: number = TYPE.A): Buffer => dnsMessage({ id: 7, flags: 0x0100, questions: [{ name, type }] });
const answer = (name: string, address: string): Buffer =>
  dnsMessage({ id: 7, flags: RESPONSE_FLAGS, questions: [{ name, type: TYPE.A }], answers: [{ owner: name, type: TYPE.A, data: address }] });

/** Frames on one 5-tuple, 1 ms apart. */
async function run(frames: Buffer[], dnsFlowReuse: boolean): Promise<EngineRun> {
  const path = writePcap(join(tempDir(), `reuse-${dnsFlowReuse}-${frames.length}.pcap`), LINKTYPE.EN10MB, frames.map((data, i) => ({ timeUs: T0 + i * 1000, data })));
  return runCapture(path, { dnsFlowReuse });
}

const onlyFlow = (run: EngineRun): FlowRecord[] => {
  expect(run.byFlow.size).toBe(1);
  return [...run.byFlow.values()][0]!;
};

describe('DNS flow reuse', () => {
  const twoQueries = [
    fromClient(query('a.example')),
    fromServer(answer('a.example', '198.51.100.1')),
    fromClient(query('b.example')),
    fromServer(answer('b.example', '198.51.100.2')),
  ];

  it('each A query on a completed DNS flow starts a new new…dpi_complete sequence of the same flow', async () => {
    const records = onlyFlow(await run(twoQueries, true));
    expect(records.map((r) => r.kind)).toEqual(['new', 'dpi_complete', 'new', 'dpi_complete', 'expire']);
    expect(records.filter((r) => r.kind === 'new').map((r) => r.hostName)).toEqual(['a.example', 'b.example']);
    // the restart zeroes the counters: the second sequence counts from its own query
    const second = records[2]!;
    expect(second.lowerPackets + second.upperPackets).toBe(1);
    expect(second.detectionPackets).toBe(1);
    expect(second.firstSeenMs).toBe(records[0]!.firstSeenMs);
    const expire = records.at(-1)!;
    expect(expire.lowerPackets + expire.upperPackets).toBe(2);
  });

  it('without the option a reused DNS flow keeps its first detection and counts every packet', async () => {
    const run0 = await run(twoQueries, false);
    expect(recordOrderProblems(run0)).toEqual([]);
    const records = onlyFlow(run0);
    expect(records.map((r) => r.kind)).toEqual(['new', 'dpi_complete', 'expire']);
    expect(records[0]!.hostName).toBe('a.example');
    expect(records.at(-1)!.lowerPackets + records.at(-1)!.upperPackets).toBe(4);
  });

  it('a response or a TXT query never restarts the flow', async () => {
    const frames = [
      fromClient(query('a.example')),
      fromServer(answer('a.example', '198.51.100.1')),
      fromServer(answer('a.example', '198.51.100.1')),
      fromClient(query('t.example', TYPE.TXT)),
    ];
    const records = onlyFlow(await run(frames, true));
    expect(records.map((r) => r.kind)).toEqual(['new', 'dpi_complete', 'expire']);
    expect(records.at(-1)!.lowerPackets + records.at(-1)!.upperPackets).toBe(4);
  });

  it('the answers of both queries still reach the DNS hint cache as dns_answer records', async () => {
    const run1 = await run(twoQueries, true);
    const answers = run1.records.filter((r) => r.kind === 'dns_answer');
    expect(answers.map((r) => (r.kind === 'dns_answer' ? `${r.name} ${r.addresses.map((a) => a.ip).join(',')}` : ''))).toEqual([
      'a.example 198.51.100.1',
      'b.example 198.51.100.2',
    ]);
  });
});
