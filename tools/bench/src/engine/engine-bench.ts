import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchCapture } from '../bench-capture.js';
import { BenchError } from '../errors.js';
import { runMeasured, type MeasuredRun } from '../measure-process.js';
import type { EngineWorkerResult } from './engine-worker.js';

const WORKER = fileURLToPath(new URL('./engine-worker.js', import.meta.url));
const TCPDUMP = '/usr/bin/tcpdump';
const NDPI_READER = 'ndpiReader';

/**
 * Node reads and parses every certificate of NODE_EXTRA_CA_CERTS when it starts, before any
 * engine code runs (tens of ms for a large bundle); the engine makes no TLS connection, so its
 * worker starts without it.
 */
export const WORKER_UNSET_ENV = ['NODE_EXTRA_CA_CERTS'] as const;
const WORKER_ENV = Object.fromEntries(WORKER_UNSET_ENV.map((name) => [name, undefined]));

export interface EngineBenchOptions {
  capture: BenchCapture;
  /** Counted runs of each command (they alternate: engine, ndpiReader, libpcap loop, engine, ...). */
  runs: number;
  /** Uncounted runs of each first (page cache, lazy loading). */
  warmups: number;
  /** Engine detection threads; the engine's default when undefined. */
  detectionThreads?: number;
  timeoutMs: number;
  onRun?: (label: string, run: number) => void;
}

export interface Sample {
  wallMs: number;
  maxRssKb: number;
  /** User + system CPU seconds of the process and its threads. */
  cpuS: number;
}

function sampleOf(run: MeasuredRun): Sample {
  return { wallMs: run.wallMs, maxRssKb: run.maxRssKb, cpuS: run.userS + run.sysS };
}

export interface EngineSample extends Sample {
  worker: EngineWorkerResult;
}

export interface EngineBenchResult {
  capture: BenchCapture;
  engine: EngineSample[];
  ndpiReader: Sample[];
  /** `tcpdump -r FILE -w /dev/null`: libpcap reading the file with (almost) no work per packet; null if tcpdump is absent. */
  libpcapLoop: Sample[] | null;
}

function failure(label: string, run: MeasuredRun): BenchError {
  const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`;
  const detail = run.stderr.trim().split('\n').slice(-3).join(' | ');
  return new BenchError('ERR_BENCH_RUN', `${label} ${how}${detail ? `: ${detail}` : ''}`);
}

function parseWorkerLine(run: MeasuredRun): EngineWorkerResult {
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line) as EngineWorkerResult;
    if (typeof parsed.packets === 'number' && typeof parsed.elapsedMs === 'number') return parsed;
  } catch {
    // reported below
  }
  throw new BenchError('ERR_BENCH_RUN', `engine worker printed no result line (got '${line.slice(0, 200)}')`);
}

/** Runs the engine, ndpiReader and the libpcap loop in turn over the bench capture. */
export async function runEngineBench(options: EngineBenchOptions): Promise<EngineBenchResult> {
  const { capture, timeoutMs } = options;
  const workerArgs = [WORKER, capture.path, ...(options.detectionThreads === undefined ? [] : [String(options.detectionThreads)])];
  const withLoop = existsSync(TCPDUMP);
  const result: EngineBenchResult = { capture, engine: [], ndpiReader: [], libpcapLoop: withLoop ? [] : null };

  for (let i = 0; i < options.warmups + options.runs; i++) {
    const counted = i >= options.warmups;
    const run = counted ? i - options.warmups + 1 : 0;

    options.onRun?.('engine', run);
    const engine = await runMeasured(process.execPath, workerArgs, timeoutMs, WORKER_ENV);
    if (engine.exitCode !== 0) throw failure('engine worker', engine);
    const worker = parseWorkerLine(engine);
    if (counted) result.engine.push({ ...sampleOf(engine), worker });

    options.onRun?.('ndpiReader', run);
    const reader = await runMeasured(NDPI_READER, ['-q', '-i', capture.path], timeoutMs);
    if (reader.exitCode !== 0) throw failure('ndpiReader', reader);
    if (counted) result.ndpiReader.push(sampleOf(reader));

    if (result.libpcapLoop) {
      options.onRun?.('libpcap loop', run);
      const loop = await runMeasured(TCPDUMP, ['-r', capture.path, '-w', '/dev/null'], timeoutMs);
      if (loop.exitCode !== 0) throw failure('tcpdump', loop);
      if (counted) result.libpcapLoop.push(sampleOf(loop));
    }
  }
  return result;
}
