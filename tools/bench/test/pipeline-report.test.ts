import { describe, expect, it } from 'vitest';
import type { PipelineBenchResult, PipelineSample } from '../src/pipeline/pipeline-bench.js';
import { formatPipelineSummary, summarizePipeline } from '../src/pipeline/pipeline-report.js';

const capture = { path: 'bench.pcap', packets: 1_200_000, bytes: 414_000_000, built: false };
const output = { payloads: 1000, bytes: 2_000_000, files: 2, messages: { flow: 300, flow_purge: 300, flow_dpi_complete: 300, agent_hello: 1 } };

function sample(wallMs: number, cpuS: number, maxRssKb: number, mainThreadCpuS: number): PipelineSample {
  return { wallMs, cpuS, maxRssKb, mainThreadCpuS, processCpuS: cpuS, packets: 1_200_000, output };
}

/** Three rounds: json, ndpiReader, msgpack+gz (wall ms, CPU s, peak RSS KiB, JS thread CPU s). */
function result(): PipelineBenchResult {
  return {
    capture,
    pipeline: {
      json: [sample(1000, 1.2, 140_000, 0.6), sample(800, 1.0, 150_000, 0.4), sample(600, 0.8, 120_000, 0.2)],
      'msgpack+gz': [sample(2000, 2, 100_000, 1), sample(2000, 2, 100_000, 1), sample(2000, 2, 100_000, 1)],
    },
    ndpiReader: [
      { wallMs: 1500, cpuS: 1.5, maxRssKb: 200_000 },
      { wallMs: 1600, cpuS: 1.6, maxRssKb: 200_000 },
      { wallMs: 1200, cpuS: 1.2, maxRssKb: 200_000 },
    ],
  };
}

describe('pipeline bench summary', () => {
  it('takes medians, per-round ratios to ndpiReader, packets per CPU-second against netifyd and the JS share', () => {
    const summary = summarizePipeline(result());
    const json = summary.variants.find((v) => v.name === 'json')!;
    expect(json.medianPps).toBe(1_500_000);
    expect(json.medianCpuS).toBe(1.0);
    expect(json.packetsPerCpuS).toBe(1_200_000);
    expect(json.timesNetifydPerCpuS).toBeCloseTo(6, 10);
    // rounds: 1500/1000 = 1.5, 1600/800 = 2, 1200/600 = 2 → median 2
    expect(json.ratioToNdpiReader).toBe(2);
    expect(json.peakRssKb).toBe(150_000);
    expect(json.jsThreadShare).toBeCloseTo(0.4, 10);
    expect(summary.ndpiReader.packetsPerCpuS).toBe(1_200_000 / 1.5);
    expect(summary.variants.map((v) => v.name)).toEqual(['json', 'msgpack+gz']);
  });

  it('prints each figure, the targets met or not, and netifyd as the issue’s figure', () => {
    const text = formatPipelineSummary(summarizePipeline(result()), capture.path, capture.bytes);
    expect(text).toMatch(/pipeline json\s+1\.500 M\/s\s+1\.200 M\/s – 2\.000 M\/s\s+0\.800 s\s+1\.00 s\s+1\.200 M\s+146\.5 MB\s+40\.0 %/);
    expect(text).toContain('/ ndpiReader:          2.00× packets/s (median of per-round ratios; target ≥ 1.5×: met)');
    expect(text).toContain('/ netifyd 5.0.7:       6.00× packets per CPU-second (target ≥ 5×: met)');
    expect(text).toContain('/ ndpiReader:          0.75× packets/s (median of per-round ratios; target ≥ 1.5×: NOT met)');
    expect(text).toContain('peak RSS:              146.5 MB (target ≤ 150.0 MB: met; netifyd 5.0.7: 710.0 MB)');
    expect(text).toContain("the issue's measured figure, not measured by this bench");
    expect(text).toContain('dropped: 0 (checked in every run)');
    expect(text).not.toContain('JS thread by area');
  });

  it('prints the JS thread by area, medians over the profiled runs', () => {
    const profiled = result();
    const areas = (encode: number) => ({ encode, 'flow model': 0.2, ticks: 0.01, status: 0, gc: 0.1, 'sink-log': 0.05, 'record decoding': 0.04, routing: 0.02, other: 0.03 });
    profiled.pipeline.json!.forEach((s, i) => (s.jsAreas = areas([0.3, 0.1, 0.2][i]!)));
    const json = summarizePipeline(profiled).variants.find((v) => v.name === 'json')!;
    expect(json.jsAreas?.encode).toBeCloseTo(0.2, 10);
    const text = formatPipelineSummary(summarizePipeline(profiled), capture.path, capture.bytes);
    expect(text).toContain('JS thread by area:     encode 0.20 s, flow model 0.20 s, ticks 0.01 s, status 0.00 s, gc 0.10 s, sink-log 0.05 s, record decoding 0.04 s, routing 0.02 s, other 0.03 s (profiled runs, medians)');
  });
});
