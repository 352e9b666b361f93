import { median } from '../stats.js';
import { WORKER_UNSET_ENV, type EngineBenchResult, type Sample } from './engine-bench.js';

export interface Rate {
  /** Median packets per second over the runs (file packets / wall time). */
  medianPps: number;
  minPps: number;
  maxPps: number;
  medianWallMs: number;
}

export interface ProcessRate extends Rate {
  /** Largest peak RSS of any run, KiB. */
  peakRssKb: number;
  /** Median CPU seconds (user + system) per run. */
  medianCpuS: number;
}

export interface EngineBenchSummary {
  packets: number;
  runs: number;
  /** Engine as a whole process (node start, addon load, nDPI init, capture, exit). */
  engine: ProcessRate;
  /** Engine from construction to whenDone(), as the worker timed itself. */
  engineInProcess: Rate;
  ndpiReader: ProcessRate;
  libpcapLoop: ProcessRate | null;
  /** Median over runs of engine pps / ndpiReader pps of the same round (both whole-process). */
  ratio: number;
  /** The same for packets per CPU-second: what the wall ratio comes to without a second core. */
  cpuRatio: number;
  /** Engine process pps / libpcap loop pps (medians); null without the loop. */
  shareOfCeiling: number | null;
  /** Packets the engine counted (`raw`, summed over ticks) in each run. */
  engineCounted: number[];
  flows: number;
}

function rateOf(packets: number, wallMs: number[]): Rate {
  const pps = wallMs.map((ms) => packets / (ms / 1000));
  return { medianPps: median(pps), minPps: Math.min(...pps), maxPps: Math.max(...pps), medianWallMs: median(wallMs) };
}

function processRate(packets: number, samples: Sample[]): ProcessRate {
  return {
    ...rateOf(packets, samples.map((s) => s.wallMs)),
    peakRssKb: Math.max(...samples.map((s) => s.maxRssKb)),
    medianCpuS: median(samples.map((s) => s.cpuS)),
  };
}

export function summarize(result: EngineBenchResult): EngineBenchSummary {
  const packets = result.capture.packets;
  const engine = processRate(packets, result.engine);
  const engineInProcess = rateOf(packets, result.engine.map((s) => s.worker.elapsedMs));
  const ndpiReader = processRate(packets, result.ndpiReader);
  const libpcapLoop = result.libpcapLoop ? processRate(packets, result.libpcapLoop) : null;
  const ratio = median(result.engine.map((s, i) => (result.ndpiReader[i] as Sample).wallMs / s.wallMs));
  const cpuRatio = median(result.engine.map((s, i) => (result.ndpiReader[i] as Sample).cpuS / s.cpuS));
  return {
    packets,
    runs: result.engine.length,
    engine,
    engineInProcess,
    ndpiReader,
    libpcapLoop,
    ratio,
    cpuRatio,
    shareOfCeiling: libpcapLoop ? engine.medianPps / libpcapLoop.medianPps : null,
    engineCounted: result.engine.map((s) => s.worker.packets),
    flows: result.engine[0]?.worker.flows ?? 0,
  };
}

const LABEL_WIDTH = 40;

const mpps = (pps: number): string => `${(pps / 1e6).toFixed(3)} M/s`;
const mb = (kb: number): string => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(1)} MB` : 'n/a');

function rateRow(label: string, rate: Rate | ProcessRate): string {
  const range = `${mpps(rate.minPps)} – ${mpps(rate.maxPps)}`;
  const rss = 'peakRssKb' in rate ? mb(rate.peakRssKb) : '';
  return `  ${label.padEnd(LABEL_WIDTH)}${mpps(rate.medianPps).padStart(12)}  ${range.padEnd(26)}${`${(rate.medianWallMs / 1000).toFixed(3)} s`.padStart(10)}  ${rss.padStart(9)}`;
}

export function formatSummary(summary: EngineBenchSummary, capturePath: string, captureBytes: number): string {
  const lines = [
    `engine bench: ${capturePath} (${summary.packets.toLocaleString('en-US')} packets, ${(captureBytes / 1e6).toFixed(0)} MB, ${summary.flows.toLocaleString('en-US')} flows per the engine)`,
    `${summary.runs} counted runs of each, alternating; packets/s = file packets / wall time; peak RSS = GNU time %M (max over runs)`,
    '',
    `  ${''.padEnd(LABEL_WIDTH)}${'median'.padStart(12)}  ${'min – max'.padEnd(26)}${'wall'.padStart(10)}  ${'peak RSS'.padStart(9)}`,
    rateRow('engine (whole process)', summary.engine),
    rateRow('engine (construct → whenDone)', summary.engineInProcess),
    rateRow('ndpiReader -q -i', summary.ndpiReader),
  ];
  if (summary.libpcapLoop) lines.push(rateRow('libpcap loop (tcpdump -r -w /dev/null)', summary.libpcapLoop));
  lines.push(
    '',
    `  engine / ndpiReader:             ${summary.ratio.toFixed(2)}×  (median of per-round ratios, whole process)`,
    summary.shareOfCeiling === null
      ? '  engine share of libpcap ceiling: not measured (tcpdump not installed)'
      : `  engine share of libpcap ceiling: ${(summary.shareOfCeiling * 100).toFixed(1)} %`,
    `  engine peak RSS:                 ${mb(summary.engine.peakRssKb)}    ndpiReader peak RSS: ${mb(summary.ndpiReader.peakRssKb)}`,
    `  CPU per run (user + system):     engine ${summary.engine.medianCpuS.toFixed(2)} s, ndpiReader ${summary.ndpiReader.medianCpuS.toFixed(2)} s: ` +
      `${summary.cpuRatio.toFixed(2)}× the packets per CPU-second (the engine's threads need a second free core for the wall ratio)`,
  );
  const unset = WORKER_UNSET_ENV.filter((name) => process.env[name] !== undefined);
  if (unset.length > 0) {
    lines.push(`  the engine worker ran without ${unset.join(', ')} (set here; Node parses that bundle at start, the engine makes no TLS connection)`);
  }
  const miscounted = summary.engineCounted.filter((n) => n !== summary.packets);
  if (miscounted.length > 0) {
    lines.push(`  NOTE: the engine counted ${miscounted.join(', ')} packets in some runs, the file has ${summary.packets}`);
  }
  return `${lines.join('\n')}\n`;
}
