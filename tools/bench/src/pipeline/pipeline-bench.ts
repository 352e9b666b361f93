import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCapture } from '../bench-capture.js';
import { BenchError } from '../errors.js';
import { runMeasured, type MeasuredRun } from '../measure-process.js';
import { repoRoot } from '../paths.js';
import { jsThreadAreas, scaledToCpu, type CpuProfile, type JsAreaTimes } from './js-thread-areas.js';
import { checkNothingDropped, readDelivered, summaryFigures, type DeliveredOutput } from './output-check.js';
import { writePipelineInstall, type PipelineEncoding } from './pipeline-install.js';
import { THREAD_TIMES_ENV } from './thread-times-preload.js';
import type { ThreadTimesReport } from './thread-times.js';

/** The built preload (tests run this module from src/, where only the .ts exists). */
const PRELOAD = join(repoRoot, 'tools/bench/dist/pipeline/thread-times-preload.js');
const NDPI_READER = 'ndpiReader';

/**
 * Set (to anything but empty) to run every agent under the V8 profiler and report the JS
 * thread's CPU time by area of the pipeline. The profiler costs some time of its own: use
 * it to see where the time goes, not for the headline figures.
 */
export const CPU_PROFILE_ENV = 'NETIFYD_BENCH_CPU_PROFILE';

/** The variants of the pipeline the bench runs: the issue's JSON path and the compact one. */
export const PIPELINE_VARIANTS: ReadonlyArray<{ name: string; encoding: PipelineEncoding }> = [
  { name: 'json', encoding: { format: 'json', compressor: 'none' } },
  { name: 'msgpack+gz', encoding: { format: 'msgpack', compressor: 'gz' } },
];

export interface PipelineBenchOptions {
  capture: BenchCapture;
  /** sink-log's max_queue_kb per channel (default: sink-log's own, as a user runs it). */
  maxQueueKb?: number;
  runs: number;
  warmups: number;
  timeoutMs: number;
  onRun?: (label: string, run: number) => void;
}

/** One whole-process run: wall time, peak RSS, CPU seconds (user + system). */
export interface CpuSample {
  wallMs: number;
  maxRssKb: number;
  cpuS: number;
}

export interface PipelineSample extends CpuSample {
  /** CPU seconds of the main (JS) thread at exit. */
  mainThreadCpuS: number;
  /** Process CPU seconds as /proc saw it at exit (the denominator of the JS share). */
  processCpuS: number;
  /** Packets the agent reported in its summary line. */
  packets: number;
  output: DeliveredOutput;
  /** With CPU_PROFILE_ENV: the main thread's CPU seconds split by area (they add up to mainThreadCpuS). */
  jsAreas?: JsAreaTimes;
}

export interface PipelineBenchResult {
  capture: BenchCapture;
  /** Per variant name, the counted runs. */
  pipeline: Record<string, PipelineSample[]>;
  ndpiReader: CpuSample[];
}

function failure(label: string, run: MeasuredRun): BenchError {
  const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`;
  const detail = run.stderr.trim().split('\n').slice(-3).join(' | ');
  return new BenchError('ERR_BENCH_RUN', `${label} ${how}${detail ? `: ${detail}` : ''}`);
}

const cpuOf = (run: MeasuredRun): number => run.userS + run.sysS;

/** One agent run over the capture with a fresh install; checks that nothing was dropped. */
async function runAgent(label: string, encoding: PipelineEncoding, options: PipelineBenchOptions): Promise<PipelineSample> {
  const install = await writePipelineInstall(encoding, options.maxQueueKb);
  const scratch = await mkdtemp(join(tmpdir(), 'bench-threads-'));
  const timesFile = join(scratch, 'threads.json');
  try {
    const cli = join(repoRoot, 'packages/agent-core/dist/cli.js');
    const profiled = Boolean(process.env[CPU_PROFILE_ENV]);
    const profilerArgs = profiled ? ['--cpu-prof', `--cpu-prof-dir=${scratch}`] : [];
    const run = await runMeasured(process.execPath, [...profilerArgs, '--import', PRELOAD, cli, '-c', install.conf, '-I', options.capture.path], options.timeoutMs, {
      [THREAD_TIMES_ENV]: timesFile,
    });
    if (run.exitCode !== 0) throw failure(label, run);
    const output = await readDelivered(install, encoding);
    await checkNothingDropped(label, install, run.stderr, output);
    const times = JSON.parse(await readFile(timesFile, 'utf8')) as ThreadTimesReport;
    const main = times.threads.find((thread) => thread.tid === times.pid);
    const packets = summaryFigures(run.stderr)?.packets ?? NaN;
    const mainThreadCpuS = main?.cpuS ?? NaN;
    const sample: PipelineSample = { wallMs: run.wallMs, maxRssKb: run.maxRssKb, cpuS: cpuOf(run), mainThreadCpuS, processCpuS: times.processCpuS, packets, output };
    if (profiled) sample.jsAreas = scaledToCpu(jsThreadAreas(await readMainProfile(label, scratch)), mainThreadCpuS);
    return sample;
  } finally {
    await install.remove();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The main thread's profile: `--cpu-prof` writes one file per thread, the main thread's first. */
async function readMainProfile(label: string, dir: string): Promise<CpuProfile> {
  const [first] = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile')).sort();
  if (!first) throw new BenchError('ERR_BENCH_OUTPUT', `${label}: the agent wrote no CPU profile in ${dir}`);
  return JSON.parse(await readFile(join(dir, first), 'utf8')) as CpuProfile;
}

/** Rounds of: pipeline json, ndpiReader, pipeline msgpack+gz (the reader between the two variants). */
export async function runPipelineBench(options: PipelineBenchOptions): Promise<PipelineBenchResult> {
  const result: PipelineBenchResult = { capture: options.capture, pipeline: {}, ndpiReader: [] };
  const [first, ...rest] = PIPELINE_VARIANTS;
  const order = [first, 'ndpiReader', ...rest] as const;
  for (let i = 0; i < options.warmups + options.runs; i++) {
    const counted = i >= options.warmups;
    const run = counted ? i - options.warmups + 1 : 0;
    for (const step of order) {
      if (step === 'ndpiReader') {
        options.onRun?.('ndpiReader', run);
        const reader = await runMeasured(NDPI_READER, ['-q', '-i', options.capture.path], options.timeoutMs);
        if (reader.exitCode !== 0) throw failure('ndpiReader', reader);
        if (counted) result.ndpiReader.push({ wallMs: reader.wallMs, maxRssKb: reader.maxRssKb, cpuS: cpuOf(reader) });
      } else if (step) {
        const label = `pipeline ${step.name}`;
        options.onRun?.(label, run);
        const sample = await runAgent(label, step.encoding, options);
        if (counted) (result.pipeline[step.name] ??= []).push(sample);
      }
    }
  }
  return result;
}
