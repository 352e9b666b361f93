import { describe, expect, it } from 'vitest';
import type { EngineBenchResult } from '../src/engine/engine-bench.js';
import { formatSummary, summarize } from '../src/engine/engine-report.js';
import { median } from '../src/stats.js';

const capture = { path: 'bench.pcap', packets: 1_200_000, bytes: 414_000_000, built: false };

/**
 * Figures of three rounds as the runner would have collected them (wall ms, peak RSS KiB,
 * CPU seconds: the engine uses 1.6 cores of its wall time, ndpiReader 0.9).
 */
function result(engineMs: number[], readerMs: number[], loopMs: number[] | null, counted = 1_200_000): EngineBenchResult {
  return {
    capture,
    engine: engineMs.map((wallMs, i) => ({
      wallMs,
      maxRssKb: 100_000 + i,
      cpuS: (wallMs / 1000) * 1.6,
      worker: { packets: counted, records: 10, flows: 7, elapsedMs: wallMs - 100 },
    })),
    ndpiReader: readerMs.map((wallMs) => ({ wallMs, maxRssKb: 198_000, cpuS: (wallMs / 1000) * 0.9 })),
    libpcapLoop: loopMs && loopMs.map((wallMs) => ({ wallMs, maxRssKb: 6000, cpuS: wallMs / 1000 })),
  };
}

describe('engine bench summary', () => {
  it('takes medians, the median of per-round ratios, the peak of RSS and the share of the libpcap loop', () => {
    const summary = summarize(result([600, 500, 400], [1800, 1000, 1600], [200, 150, 100]));
    expect(summary.engine).toEqual({ medianPps: 2_400_000, minPps: 2_000_000, maxPps: 3_000_000, medianWallMs: 500, peakRssKb: 100_002, medianCpuS: 0.8 });
    expect(summary.engineInProcess.medianWallMs).toBe(400);
    expect(summary.ndpiReader.medianPps).toBe(1_200_000 / 1.6);
    // rounds: 1800/600 = 3, 1000/500 = 2, 1600/400 = 4 → median 3 (not 2.4 M / 0.75 M = 3.2)
    expect(summary.ratio).toBe(3);
    // per CPU-second: each round's wall ratio times 0.9 / 1.6
    expect(summary.cpuRatio).toBeCloseTo((3 * 0.9) / 1.6, 10);
    expect(summary.shareOfCeiling).toBe(2_400_000 / 8_000_000);
    expect(summary.flows).toBe(7);
  });

  it('prints every figure and flags a packet count that differs from the file', () => {
    const text = formatSummary(summarize(result([500, 500, 500], [1000, 1000, 1000], null, 1_199_999)), capture.path, capture.bytes);
    expect(text).toContain('engine (whole process)');
    expect(text).toMatch(/engine \(whole process\)\s+2\.400 M\/s\s+2\.400 M\/s – 2\.400 M\/s\s+0\.500 s\s+97\.7 MB/);
    expect(text).toMatch(/ndpiReader -q -i\s+1\.200 M\/s/);
    expect(text).toContain('engine / ndpiReader:             2.00×');
    expect(text).toContain('CPU per run (user + system):     engine 0.80 s, ndpiReader 0.90 s: 1.13× the packets per CPU-second');
    expect(text).toContain('engine share of libpcap ceiling: not measured (tcpdump not installed)');
    expect(text).toContain('NOTE: the engine counted 1199999, 1199999, 1199999 packets in some runs, the file has 1200000');
  });

  it('median of odd and even lists', () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([5])]).toEqual([2, 2.5, 5]);
    expect(() => median([])).toThrow(RangeError);
  });
});
