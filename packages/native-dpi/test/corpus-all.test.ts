// Ensures every capture of the corpus is processed without a crash and that what the engine
// delivers is consistent: the per-flow record order, one end per source, a final tick last,
// tick deltas adding up to flow totals, and packet counters adding up.
import { describe, expect, it } from 'vitest';
import { capturePath, corpusAvailable, corpusCaptures } from './helpers/corpus.js';
import { recordOrderProblems, runCapture } from './helpers/run-engine.js';

const captures = corpusCaptures();

describe.skipIf(!corpusAvailable)('every corpus capture (default options)', () => {
  it.each(captures)('%s', async (name) => {
    const run = await runCapture(capturePath(name), { updateIntervalMs: 5_000 });
    expect(recordOrderProblems(run)).toEqual([]);

    const last = run.records[run.records.length - 1];
    expect(last).toMatchObject({ kind: 'tick', final: true });
    expect(run.ticks.filter((t) => t.final)).toHaveLength(1);
    const ends = run.records.filter((r) => r.kind === 'source_end');
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ kind: 'source_end', source: 0 });
    const endError = (ends[0] as { error?: string }).error;
    if (endError !== undefined) expect(endError).toContain(`capture file '${capturePath(name)}': `);
    for (let i = 1; i < run.ticks.length; i++) {
      expect(run.ticks[i]?.timeMs).toBeGreaterThanOrEqual(run.ticks[i - 1]?.timeMs ?? 0);
    }

    // Interval deltas over all ticks add up to each flow's totals.
    const deltas = new Map<number, number>();
    for (const t of run.ticks) {
      for (const f of t.flows) deltas.set(f.flowId, (deltas.get(f.flowId) ?? 0) + f.lowerPackets + f.upperPackets);
    }
    let flowPackets = 0;
    let flowBytes = 0;
    for (const f of run.finals) {
      expect(f.reason).toMatch(/^(closed|expired)$/);
      expect(deltas.get(f.flowId)).toBe(f.lowerPackets + f.upperPackets);
      flowPackets += f.lowerPackets + f.upperPackets;
      flowBytes += f.lowerBytes + f.upperBytes;
    }

    const source = run.counters.sources[0];
    const totals = source?.totals ?? {};
    const summed: Record<string, number> = {};
    for (const t of run.ticks) {
      for (const [k, v] of Object.entries(t.sources[0]?.counters ?? {})) {
        summed[k] = k === 'largest_bytes' ? Math.max(summed[k] ?? 0, v) : (summed[k] ?? 0) + v;
      }
    }
    expect(summed).toEqual(totals);
    expect(Object.keys(totals)).toHaveLength(22);
    expect(totals.ip).toBe(flowPackets);
    expect(totals.ip_bytes).toBe(flowBytes);
    expect(totals.wire_bytes).toBe(flowBytes + 24 * flowPackets);
    expect(totals.raw).toBe((totals.ip ?? 0) + (totals.discarded ?? 0));
    expect(totals.raw).toBe(source?.packetsRead);
    const discards = Object.values(source?.discards ?? {}).reduce((a, b) => a + b, 0);
    expect(discards).toBe(totals.discarded);
    expect(run.counters.activeFlows).toBe(0);
    expect(run.counters.flowsCreated).toBe(run.finals.length);
  });
});
