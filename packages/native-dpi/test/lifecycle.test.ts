// Ensures the engine's lifecycle holds under native hazards: close while busy, replay
// pacing, several sources at once, a process exiting and a worker thread terminated while
// threads run, and the same flows whatever the number of detection threads.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Engine, type EngineRecord, type FlowRecord, type TickRecord } from '../src/index.js';
import { capturePath, corpusAvailable, packageDir } from './helpers/corpus.js';
import * as p from './helpers/packets.js';
import { LINKTYPE, writePcap } from './helpers/pcap-writer.js';
import { runCapture } from './helpers/run-engine.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir('native-dpi-lifecycle');
const T0 = 1_700_000_000_000_000;

/** UDP packets `gapMs` apart, each of its own flow. */
function spacedCapture(name: string, count: number, gapMs: number): string {
  const frames = Array.from({ length: count }, (_, i) => ({
    timeUs: T0 + i * gapMs * 1000,
    data: p.ethernet(0x0800, p.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: p.udp(1000 + i, 53, p.dnsQuery('a.example')) })),
  }));
  return writePcap(join(tempDir(), name), LINKTYPE.EN10MB, frames);
}

describe('engine lifecycle', () => {
  it('close() while busy terminates the remaining flows and still delivers the final tick', async () => {
    const path = spacedCapture('slow.pcap', 50, 200);
    const engine = new Engine({ batchMaxMs: 5 });
    const records: EngineRecord[] = [];
    engine.addFileSource({ name: 'slow', path, replay: true });
    const firstBatch = new Promise<void>((resolve) =>
      engine.start((batch) => {
        records.push(...batch);
        resolve();
      }),
    );
    await firstBatch;
    const started = Date.now();
    await engine.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    await engine.close();
    expect(records[records.length - 1]).toMatchObject({ kind: 'tick', final: true });
    const expires = records.filter((r): r is FlowRecord => r.kind === 'expire');
    expect(expires.length).toBeGreaterThan(0);
    expect(expires.length).toBeLessThan(50);
    expect(expires.every((r) => r.reason === 'terminated')).toBe(true);
    expect(records.filter((r) => r.kind === 'source_end')).toEqual([{ kind: 'source_end', source: 0 }]);
  });

  it('replay paces packets at capture speed (five 100 ms gaps)', async () => {
    const path = spacedCapture('paced.pcap', 6, 100);
    const engine = new Engine();
    engine.addFileSource({ name: 'paced', path, replay: true });
    let flows = 0;
    const started = Date.now();
    engine.start((batch) => (flows += batch.filter((r) => r.kind === 'expire').length));
    await engine.whenDone();
    await engine.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(flows).toBe(6);
  });

  it('several file sources at once: one source_end each, one final tick covering both', async () => {
    const a = spacedCapture('a.pcap', 3, 1);
    const b = spacedCapture('b.pcap', 4, 1);
    const engine = new Engine();
    expect(engine.addFileSource({ name: 'a', path: a })).toBe(0);
    expect(engine.addFileSource({ name: 'b', path: b })).toBe(1);
    const records: EngineRecord[] = [];
    engine.start((batch) => records.push(...batch));
    await engine.whenDone();
    const counters = engine.counters();
    await engine.close();
    const finals = records.filter((r): r is FlowRecord => r.kind === 'expire');
    expect(finals.filter((f) => f.source === 0)).toHaveLength(3);
    expect(finals.filter((f) => f.source === 1)).toHaveLength(4);
    expect(records.filter((r) => r.kind === 'source_end').map((r) => (r as { source: number }).source).sort()).toEqual([0, 1]);
    const finalTick = records[records.length - 1];
    expect(finalTick).toMatchObject({ kind: 'tick', final: true });
    expect(counters.sources.map((s) => [s.name, s.totals.raw, s.ended])).toEqual([
      ['a', 3, true],
      ['b', 4, true],
    ]);
  });

  it('sources with different clocks tick together, interval by interval of each source', async () => {
    const frames = (epochUs: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        timeUs: epochUs + i * 1_000_000,
        data: p.ethernet(0x0800, p.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: p.udp(2000 + i, 53, p.dnsQuery('b.example')) })),
      }));
    const early = writePcap(join(tempDir(), 'early.pcap'), LINKTYPE.EN10MB, frames(1_300_000_000_000_000, 30));
    const late = writePcap(join(tempDir(), 'late.pcap'), LINKTYPE.EN10MB, frames(1_700_000_000_000_000, 12));
    const engine = new Engine({ updateIntervalMs: 5_000 });
    engine.addFileSource({ name: 'early', path: early });
    engine.addFileSource({ name: 'late', path: late });
    const records: EngineRecord[] = [];
    engine.start((batch) => records.push(...batch));
    await engine.whenDone();
    await engine.close();
    const ticks = records.filter((r): r is TickRecord => r.kind === 'tick');
    // Ticks 1 and 2 come when both sources reached them; the late source ends after 11 s,
    // so ticks 3..5 follow the early source alone; then the final tick.
    expect(ticks.map((t) => t.final)).toEqual([false, false, false, false, false, true]);
    const expired = records.filter((r): r is FlowRecord => r.kind === 'expire');
    expect(expired.filter((f) => f.source === 0)).toHaveLength(30);
    expect(expired.filter((f) => f.source === 1)).toHaveLength(12);
    const rawPerSource = [0, 1].map((s) => ticks.reduce((n, t) => n + (t.sources[s]?.counters.raw ?? 0), 0));
    expect(rawPerSource).toEqual([30, 12]);
  });

  it('a process that exits while the engine runs exits cleanly', () => {
    const path = spacedCapture('exit.pcap', 20, 500);
    const child = spawnSync(process.execPath, [join(packageDir, 'test/fixtures/exit-while-running.mjs'), path], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('batch\n');
  });

  it('an onBatch that throws is reported as uncaught and the run still completes', () => {
    const path = spacedCapture('throw.pcap', 3, 1);
    const child = spawnSync(process.execPath, [join(packageDir, 'test/fixtures/throwing-callback.mjs'), path], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.status).toBe(0);
    // 3 flows x (new, dpi_complete, expire) + source_end + final tick, one record per batch.
    expect(JSON.parse(child.stdout)).toEqual({ uncaught: 1, batches: 11 });
  });

  it('a worker thread running the engine can be terminated', async () => {
    const path = spacedCapture('worker.pcap', 20, 500);
    const worker = new Worker(join(packageDir, 'test/fixtures/worker-engine.mjs'), { workerData: { path } });
    const first = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(first).toBeGreaterThan(0);
    expect(await worker.terminate()).toBe(1);
    const after = await runCapture(spacedCapture('after.pcap', 2, 1));
    expect(after.finals).toHaveLength(2);
  });

  it('reports nDPI 4.2 and its protocol table', () => {
    expect(Engine.ndpiVersion()).toMatch(/^4\.2/);
    const protocols = Engine.ndpiProtocols();
    expect(protocols.find((x) => x.id === 91)).toMatchObject({ name: 'TLS', categoryName: 'Web' });
    expect(protocols.find((x) => x.id === 5)).toMatchObject({ name: 'DNS' });
    expect(protocols.length).toBeGreaterThan(250);
  });
});

describe.skipIf(!corpusAvailable)('sharding', () => {
  it('1, 2 and 4 detection threads find the same flows with the same protocols and counts', async () => {
    const summary = async (threads: number) => {
      const run = await runCapture(capturePath('1kxun.pcap'), { detectionThreads: threads });
      return run.finals
        .map((f) => `${f.ipProtocol} ${f.lowerIp}:${f.lowerPort} ${f.upperIp}:${f.upperPort} ${f.protocolName} ${f.lowerPackets}/${f.upperPackets}`)
        .sort();
    };
    const one = await summary(1);
    expect(one.length).toBeGreaterThan(100);
    expect(await summary(2)).toEqual(one);
    expect(await summary(4)).toEqual(one);
  });
});
