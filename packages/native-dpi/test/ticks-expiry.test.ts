// Ensures ticks follow the capture's clock, idle and closed flows expire at the right tick
// with the right reason, max_flows refuses and counts, and batches respect their bounds.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineOptions, FlowRecord } from '../src/index.js';
import * as p from './helpers/packets.js';
import { LINKTYPE, writePcap } from './helpers/pcap-writer.js';
import { runCapture } from './helpers/run-engine.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir('native-dpi-ticks');
const T0 = 1_700_000_000_000_000;
const S = 1_000_000;

const udpFrame = (sport: number, dst = '10.0.0.2'): Buffer =>
  p.ethernet(0x0800, p.ipv4({ src: '10.0.0.1', dst, protocol: 17, payload: p.udp(sport, 9999, Buffer.from('hello engine')) }));
const tcpFrame = (sport: number, flags: number, seq: number, fromClient = true): Buffer => {
  const seg = p.tcp({ sport: fromClient ? sport : 80, dport: fromClient ? 80 : sport, flags, seq });
  return p.ethernet(0x0800, p.ipv4({ src: fromClient ? '10.0.0.1' : '10.0.0.2', dst: fromClient ? '10.0.0.2' : '10.0.0.1', protocol: 6, payload: seg }));
};

let n = 0;
async function runFrames(frames: Array<[number, Buffer]>, options: EngineOptions) {
  const path = writePcap(join(tempDir(), `t${++n}.pcap`), LINKTYPE.EN10MB, frames.map(([t, data]) => ({ timeUs: T0 + t, data })));
  return runCapture(path, options);
}

function indexOfExpire(records: Array<{ kind: string }>, flow: FlowRecord): number {
  return records.findIndex((r) => r.kind === 'expire' && (r as FlowRecord).flowId === flow.flowId);
}

describe('ticks and expiry follow capture time', () => {
  it('one tick per interval, idle UDP flows expire after idleTtlMs, the final tick ends the run', async () => {
    const frames: Array<[number, Buffer]> = [[0, udpFrame(1000)]];
    for (let s = 1; s <= 60; s += 1) frames.push([s * S, udpFrame(2000)]);
    const r = await runFrames(frames, { updateIntervalMs: 5_000, idleTtlMs: 20_000 });
    const idle = r.finals.find((f) => f.lowerPort === 1000 || f.upperPort === 1000) as FlowRecord;
    const busy = r.finals.find((f) => f.lowerPort === 2000 || f.upperPort === 2000) as FlowRecord;
    expect(idle.reason).toBe('expired');
    expect(busy.reason).toBe('expired');

    const ticks = r.records.map((rec, i) => [rec, i] as const).filter(([rec]) => rec.kind === 'tick');
    expect(ticks.map(([t]) => (t as { timeMs: number }).timeMs)).toEqual([
      ...Array.from({ length: 12 }, (_, k) => T0 / 1000 + (k + 1) * 5_000),
      T0 / 1000 + 60_000,
    ]);
    // Idle since t=0, TTL 20 s: expired at the first tick after 20 s, i.e. the 25 s tick.
    const expiredAt = indexOfExpire(r.records, idle);
    const tickAfter = ticks.find(([, i]) => i > expiredAt)?.[0] as { timeMs: number; final: boolean };
    expect(tickAfter.timeMs).toBe(T0 / 1000 + 25_000);
    expect(tickAfter.final).toBe(false);
    // The busy flow lives to the end and shows up in every tick with its packets.
    expect(indexOfExpire(r.records, busy)).toBeGreaterThan(ticks[ticks.length - 2]?.[1] ?? 0);
    const perTick = r.ticks.map((t) => t.flows.find((f) => f.flowId === busy.flowId)?.lowerPackets ?? 0);
    expect(perTick.reduce((a, b) => a + b, 0)).toBe(60);
    expect(r.ticks[1]?.sources[0]?.counters.raw).toBe(5);
  });

  it('a TCP flow closed by FIN+ACK is purged at the next tick with reason closed', async () => {
    const frames: Array<[number, Buffer]> = [
      [0, tcpFrame(40000, p.TCP_SYN, 100)],
      [1000, tcpFrame(40000, p.TCP_SYN | p.TCP_ACK, 500, false)],
      [2000, tcpFrame(40000, p.TCP_ACK, 101)],
      [3000, tcpFrame(40000, p.TCP_FIN | p.TCP_ACK, 101)],
      [4000, tcpFrame(40000, p.TCP_FIN | p.TCP_ACK, 501, false)],
      [12 * S, udpFrame(3000)],
    ];
    const r = await runFrames(frames, { updateIntervalMs: 5_000 });
    const tcp = r.finals.find((f) => f.ipProtocol === 6) as FlowRecord;
    expect(tcp).toMatchObject({ reason: 'closed', tcpFinAck: true, originLower: true, lowerIp: '10.0.0.1', lowerPackets: 3, upperPackets: 2 });
    const tickAfter = r.records.slice(indexOfExpire(r.records, tcp)).find((rec) => rec.kind === 'tick') as { timeMs: number; final: boolean };
    // No packets between 4 ms and 12 s: the 5 s and 10 s ticks collapse into the 10 s one.
    expect(tickAfter).toMatchObject({ timeMs: T0 / 1000 + 10_000, final: false });
  });

  it('an idle TCP flow without FIN is kept for tcpIdleTtlMs, not idleTtlMs', async () => {
    const r = await runFrames(
      [
        [0, tcpFrame(40001, p.TCP_SYN, 1)],
        [40 * S, udpFrame(3001)],
      ],
      { updateIntervalMs: 5_000, idleTtlMs: 10_000, tcpIdleTtlMs: 100_000 },
    );
    const tcp = r.finals.find((f) => f.ipProtocol === 6) as FlowRecord;
    const firstTickAfter = r.records.slice(indexOfExpire(r.records, tcp)).find((rec) => rec.kind === 'tick');
    expect(firstTickAfter).toMatchObject({ final: true });
  });

  it('intervals without packets collapse into one tick', async () => {
    const r = await runFrames(
      [
        [0, udpFrame(1)],
        [100 * S, udpFrame(1)],
      ],
      { updateIntervalMs: 5_000, idleTtlMs: 1_000_000 },
    );
    expect(r.ticks.map((t) => [t.timeMs - T0 / 1000, t.final])).toEqual([
      [100_000, false],
      [100_000, true],
    ]);
  });

  it('maxFlows refuses new flows and counts them as flow_dropped', async () => {
    const frames: Array<[number, Buffer]> = [1, 2, 3, 4, 5].map((i) => [i * 1000, udpFrame(1000 + i)]);
    // One detection thread: threads run unsynchronised, so across several of them which flows
    // overlap in time (and so which are refused) depends on scheduling.
    const r = await runFrames(frames, { maxFlows: 3, detectionThreads: 1 });
    expect(r.finals).toHaveLength(3);
    expect(r.counters.sources[0]?.totals).toMatchObject({ flow_dropped: 2, discarded: 2, ip: 3, raw: 5 });
    expect(r.counters.sources[0]?.discards.max_flows_reached).toBe(2);
  });

  it('batches hold at most batchMaxRecords records', async () => {
    const frames: Array<[number, Buffer]> = Array.from({ length: 40 }, (_, i) => [i * 1000, udpFrame(1000 + i)] as [number, Buffer]);
    const r = await runFrames(frames, { batchMaxRecords: 7, detectionThreads: 3 });
    expect(r.records.length).toBe(40 * 3 + 2);
    expect(Math.max(...r.batchSizes)).toBe(7);
    expect(r.batchSizes.reduce((a, b) => a + b, 0)).toBe(r.records.length);
  });
});
