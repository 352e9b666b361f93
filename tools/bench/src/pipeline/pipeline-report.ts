import { median } from '../stats.js';
import { JS_AREAS, type JsAreaTimes } from './js-thread-areas.js';
import type { CpuSample, PipelineBenchResult, PipelineSample } from './pipeline-bench.js';

/** netifyd 5.0.7 as the issue measured it (JSON output, 1.19 M-packet twin of the bench capture); not measured here. */
export const NETIFYD_507 = { packetsPerCpuS: 200_000, peakRssKb: 710 * 1024 } as const;

/** The issue's targets for the pipeline. */
export const TARGETS = { ratioToNdpiReader: 1.5, timesNetifydPerCpuS: 5, peakRssKb: 150 * 1024 } as const;

export interface ProcessFigures {
  medianPps: number;
  minPps: number;
  maxPps: number;
  medianWallMs: number;
  /** Largest peak RSS of any run, KiB. */
  peakRssKb: number;
  /** Median CPU seconds (user + system) per run. */
  medianCpuS: number;
  /** File packets over the median CPU seconds. */
  packetsPerCpuS: number;
}

export interface VariantFigures extends ProcessFigures {
  name: string;
  /** Median over rounds of this variant's packets/s over ndpiReader's of the same round. */
  ratioToNdpiReader: number;
  /** packetsPerCpuS over netifyd 5.0.7's figure from the issue. */
  timesNetifydPerCpuS: number;
  /** Median share of the process CPU spent on the main (JS) thread. */
  jsThreadShare: number;
  medianJsThreadCpuS: number;
  /** Per run: payloads found on disk (all runs were checked for drops). */
  payloads: number[];
  bytes: number;
  messages: Record<string, number>;
  /** Runs whose agent counted a packet total other than the file's. */
  miscounted: number[];
  /** Profiled runs only: median JS thread CPU seconds per area. */
  jsAreas?: JsAreaTimes;
}

export interface PipelineBenchSummary {
  packets: number;
  runs: number;
  variants: VariantFigures[];
  ndpiReader: ProcessFigures;
}

function processFigures(packets: number, samples: readonly CpuSample[]): ProcessFigures {
  const pps = samples.map((s) => packets / (s.wallMs / 1000));
  const medianCpuS = median(samples.map((s) => s.cpuS));
  return {
    medianPps: median(pps),
    minPps: Math.min(...pps),
    maxPps: Math.max(...pps),
    medianWallMs: median(samples.map((s) => s.wallMs)),
    peakRssKb: Math.max(...samples.map((s) => s.maxRssKb)),
    medianCpuS,
    packetsPerCpuS: packets / medianCpuS,
  };
}

/** Median per area over the runs that were profiled; undefined when none was. */
function medianAreas(samples: readonly PipelineSample[]): JsAreaTimes | undefined {
  const profiled = samples.flatMap((s) => (s.jsAreas ? [s.jsAreas] : []));
  if (profiled.length === 0) return undefined;
  return Object.fromEntries(JS_AREAS.map((area) => [area, median(profiled.map((areas) => areas[area]))])) as JsAreaTimes;
}

function variantFigures(name: string, packets: number, samples: readonly PipelineSample[], reader: readonly CpuSample[]): VariantFigures {
  const figures = processFigures(packets, samples);
  const last = samples[samples.length - 1] as PipelineSample;
  const jsAreas = medianAreas(samples);
  return {
    ...(jsAreas ? { jsAreas } : {}),
    name,
    ...figures,
    ratioToNdpiReader: median(samples.map((s, i) => (reader[i] as CpuSample).wallMs / s.wallMs)),
    timesNetifydPerCpuS: figures.packetsPerCpuS / NETIFYD_507.packetsPerCpuS,
    jsThreadShare: median(samples.map((s) => s.mainThreadCpuS / s.processCpuS)),
    medianJsThreadCpuS: median(samples.map((s) => s.mainThreadCpuS)),
    payloads: samples.map((s) => s.output.payloads),
    bytes: last.output.bytes,
    messages: last.output.messages,
    miscounted: samples.map((s) => s.packets).filter((n) => n !== packets),
  };
}

export function summarizePipeline(result: PipelineBenchResult): PipelineBenchSummary {
  const packets = result.capture.packets;
  const variants = Object.entries(result.pipeline).map(([name, samples]) => variantFigures(name, packets, samples, result.ndpiReader));
  return { packets, runs: result.ndpiReader.length, variants, ndpiReader: processFigures(packets, result.ndpiReader) };
}

const areaList = (areas: JsAreaTimes): string => JS_AREAS.map((area) => `${area} ${areas[area].toFixed(2)} s`).join(', ');

const LABEL_WIDTH = 24;
const mpps = (pps: number): string => `${(pps / 1e6).toFixed(3)} M/s`;
const mb = (kb: number): string => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(1)} MB` : 'n/a');
const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;
const mark = (ok: boolean): string => (ok ? 'met' : 'NOT met');

function row(label: string, figures: ProcessFigures, jsShare: string): string {
  const range = `${mpps(figures.minPps)} – ${mpps(figures.maxPps)}`;
  return (
    `  ${label.padEnd(LABEL_WIDTH)}${mpps(figures.medianPps).padStart(12)}  ${range.padEnd(24)}` +
    `${`${(figures.medianWallMs / 1000).toFixed(3)} s`.padStart(9)}${`${figures.medianCpuS.toFixed(2)} s`.padStart(9)}` +
    `${`${(figures.packetsPerCpuS / 1e6).toFixed(3)} M`.padStart(12)}${mb(figures.peakRssKb).padStart(11)}${jsShare.padStart(11)}`
  );
}

export function formatPipelineSummary(summary: PipelineBenchSummary, capturePath: string, captureBytes: number): string {
  const lines = [
    `pipeline bench: ${capturePath} (${summary.packets.toLocaleString('en-US')} packets, ${(captureBytes / 1e6).toFixed(0)} MB)`,
    'the agent CLI: capture file → engine → flow model → proc-core → sink-log files (channels flows: stream-flows, stats: stream-stats; overwrite false)',
    `${summary.runs} counted runs of each, alternating; packets/s = file packets / wall time; CPU = user + system (GNU time); packets/CPU-s = file packets / median CPU; peak RSS = max over runs`,
    '',
    `  ${''.padEnd(LABEL_WIDTH)}${'median'.padStart(12)}  ${'min – max'.padEnd(24)}${'wall'.padStart(9)}${'CPU'.padStart(9)}${'pkts/CPU-s'.padStart(12)}${'peak RSS'.padStart(11)}${'JS thread'.padStart(11)}`,
    ...summary.variants.map((v) => row(`pipeline ${v.name}`, v, percent(v.jsThreadShare))),
    row('ndpiReader -q -i', summary.ndpiReader, ''),
    '',
  ];
  for (const v of summary.variants) {
    lines.push(
      `  pipeline ${v.name}:`,
      `    / ndpiReader:          ${v.ratioToNdpiReader.toFixed(2)}× packets/s (median of per-round ratios; target ≥ ${TARGETS.ratioToNdpiReader}×: ${mark(v.ratioToNdpiReader >= TARGETS.ratioToNdpiReader)})`,
      `    / netifyd 5.0.7:       ${v.timesNetifydPerCpuS.toFixed(2)}× packets per CPU-second (target ≥ ${TARGETS.timesNetifydPerCpuS}×: ${mark(v.timesNetifydPerCpuS >= TARGETS.timesNetifydPerCpuS)})`,
      `    peak RSS:              ${mb(v.peakRssKb)} (target ≤ ${mb(TARGETS.peakRssKb)}: ${mark(v.peakRssKb <= TARGETS.peakRssKb)}; netifyd 5.0.7: ${mb(NETIFYD_507.peakRssKb)})`,
      `    JS (main) thread:      ${percent(v.jsThreadShare)} of the process CPU (${v.medianJsThreadCpuS.toFixed(2)} s of ${v.medianCpuS.toFixed(2)} s, medians)`,
      ...(v.jsAreas ? [`    JS thread by area:     ${areaList(v.jsAreas)} (profiled runs, medians)`] : []),
      `    delivered:             ${v.payloads.join(', ')} payloads, ${(v.bytes / 1e6).toFixed(1)} MB; dropped: 0 (checked in every run)`,
      `    messages:              ${Object.entries(v.messages).sort((a, b) => b[1] - a[1]).map(([type, n]) => `${type} ${n}`).join(', ')}`,
    );
    if (v.miscounted.length > 0) lines.push(`    NOTE: the agent counted ${v.miscounted.join(', ')} packets in some runs, the file has ${summary.packets}`);
  }
  lines.push(
    '',
    `  netifyd 5.0.7 for comparison (the issue's measured figure, not measured by this bench): ≈ ${NETIFYD_507.packetsPerCpuS / 1e6} M packets per CPU-second with JSON output, ${mb(NETIFYD_507.peakRssKb)} peak RSS, on the 1.19 M-packet twin of this capture`,
  );
  return `${lines.join('\n')}\n`;
}
