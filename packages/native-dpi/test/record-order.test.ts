// Ensures records leave the engine in the capture order of the packets that caused them,
// whichever detection thread handled each flow, and across file sources; so two runs over
// one capture deliver the same sequence.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, type EngineRecord, type FlowRecord } from '../src/index.js';
import { capturePath, corpusAvailable } from './helpers/corpus.js';
import * as p from './helpers/packets.js';
import { LINKTYPE, writePcap } from './helpers/pcap-writer.js';
import { runCapture } from './helpers/run-engine.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir('native-dpi-record-order');
const T0 = 1_700_000_000_000_000;
const FLOWS = 400;

/** One DNS query per flow (nDPI knows it at its first packet), `stepUs` apart from `firstUs`. */
function queries(name: string, ports: number[], firstUs: number, stepUs: number): string {
  const frames = ports.map((port, i) => ({
    timeUs: firstUs + i * stepUs,
    data: p.ethernet(0x0800, p.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: p.udp(port, 53, p.dnsQuery(`q${port}.example`)) })),
  }));
  return writePcap(join(tempDir(), name), LINKTYPE.EN10MB, frames);
}

const newRecordPorts = (records: EngineRecord[]): number[] =>
  records.filter((r): r is FlowRecord => r.kind === 'new').map((r) => (r.lowerPort === 53 ? r.upperPort : r.lowerPort));

async function runSources(paths: string[], detectionThreads: number): Promise<EngineRecord[]> {
  const engine = new Engine({ detectionThreads, batchMaxRecords: 16 });
  const records: EngineRecord[] = [];
  try {
    paths.forEach((path, i) => engine.addFileSource({ name: `f${i}`, path }));
    engine.start((batch) => records.push(...batch));
    await engine.whenDone();
    return records;
  } finally {
    await engine.close();
  }
}

describe('record order', () => {
  const ports = Array.from({ length: FLOWS }, (_, i) => 20_000 + i);

  it.each([2, 4])('flows spread over %i detection threads are announced in capture order', async (threads) => {
    const path = queries(`threads-${threads}.pcap`, ports, T0, 1000);
    const run = await runCapture(path, { detectionThreads: threads, batchMaxRecords: 16 });
    expect(new Set(run.finals.map((f) => f.flowId % threads)).size).toBe(threads);
    expect(newRecordPorts(run.records)).toEqual(ports);
  });

  it('two file sources interleaved in time are merged in capture-time order', async () => {
    const even = ports.filter((_, i) => i % 2 === 0);
    const odd = ports.filter((_, i) => i % 2 === 1);
    const a = queries('even.pcap', even, T0, 2000);
    const b = queries('odd.pcap', odd, T0 + 1000, 2000);
    const records = await runSources([a, b], 2);
    expect(newRecordPorts(records)).toEqual(ports);
  });

  it.skipIf(!corpusAvailable)('1kxun.pcap: three runs on two threads deliver the same sequence', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => runCapture(capturePath('1kxun.pcap'), { detectionThreads: 2 })));
    const sequence = (records: EngineRecord[]): string[] =>
      records.map((r) => {
        if (r.kind === 'tick' || r.kind === 'source_end') return r.kind;
        if (r.kind === 'dns_answer') return `dns_answer ${r.name} ${r.addresses.map((a) => a.ip).join(',')}`;
        return `${r.kind} ${r.lowerIp}:${r.lowerPort} ${r.upperIp}:${r.upperPort} ${r.lowerPackets}/${r.upperPackets} ${r.protocolName}`;
      });
    expect(sequence(runs[1]!.records)).toEqual(sequence(runs[0]!.records));
    expect(sequence(runs[2]!.records)).toEqual(sequence(runs[0]!.records));
  });
});
