import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { compareFlows, emptyComparison, type CaptureComparison } from './compare-flows.js';
import { CompareError } from './errors.js';
import { loadEngine } from './engine-run.js';
import { readNdpiReaderOutput } from './ndpi-reader-output.js';
import { runCaptureIsolated } from './run-isolated.js';

export const CAPTURE_EXTENSIONS: readonly string[] = ['.pcap', '.pcapng', '.cap'];

export interface CompareOptions {
  capturesDir: string;
  expectedDir: string;
  /** Capture names to keep (file name, or file name without extension); empty = all. */
  only: string[];
  timeoutMs: number;
  onProgress?: (done: number, total: number, capture: string) => void;
}

export interface CompareRun {
  comparisons: CaptureComparison[];
  /** Captures whose expected output could not be read or parsed. */
  expectedErrors: number;
}

async function requireDirectory(path: string, what: string, code: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (error as Error).message;
    throw new CompareError(code, `${what} ${path}: ${reason}`, { cause: error });
  }
  if (!isDirectory) throw new CompareError(code, `${what} ${path}: not a directory`);
}

/** The captures of `dir` (by extension, sorted), narrowed to `only`; unknown `only` names are an error. */
export async function listCaptures(dir: string, only: string[]): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => CAPTURE_EXTENSIONS.includes(extname(name).toLowerCase())).sort();
  if (only.length === 0) return names;
  const wanted = new Set(only);
  const kept = names.filter((name) => wanted.has(name) || wanted.has(name.slice(0, -extname(name).length)));
  const unknown = only.filter((want) => !names.some((name) => name === want || name.slice(0, -extname(name).length) === want));
  if (unknown.length > 0) {
    throw new CompareError('ERR_ONLY_UNKNOWN', `--only: no capture named ${unknown.map((u) => `'${u}'`).join(', ')} in ${dir}`);
  }
  return kept;
}

async function compareOne(capturesDir: string, expectedDir: string, capture: string, timeoutMs: number): Promise<{ comparison: CaptureComparison; expectedError: boolean }> {
  let expected;
  try {
    expected = await readNdpiReaderOutput(join(expectedDir, `${capture}.out`));
  } catch (error) {
    return { comparison: emptyComparison(capture, 0, (error as Error).message), expectedError: true };
  }
  const run = await runCaptureIsolated(join(capturesDir, capture), timeoutMs);
  if ('error' in run) {
    // Its expected flows still count (as missing) in the totals; listing each one adds nothing.
    return { comparison: { ...compareFlows(capture, expected.flows, []), mismatches: [], error: run.error }, expectedError: false };
  }
  const comparison = compareFlows(capture, expected.flows, run.flows);
  if (run.sourceError !== undefined) comparison.sourceError = run.sourceError;
  return { comparison, expectedError: false };
}

/** Runs the engine over each capture (one child process each, in turn) and compares with ndpiReader. */
export async function compareCaptures(options: CompareOptions): Promise<CompareRun> {
  await requireDirectory(options.capturesDir, 'captures directory', 'ERR_CAPTURES_DIR');
  await requireDirectory(options.expectedDir, 'expected-output directory', 'ERR_EXPECTED_DIR');
  const captures = await listCaptures(options.capturesDir, options.only);
  await loadEngine();
  const comparisons: CaptureComparison[] = [];
  let expectedErrors = 0;
  for (const capture of captures) {
    options.onProgress?.(comparisons.length, captures.length, capture);
    const { comparison, expectedError } = await compareOne(options.capturesDir, options.expectedDir, capture, options.timeoutMs);
    comparisons.push(comparison);
    if (expectedError) expectedErrors++;
  }
  return { comparisons, expectedErrors };
}
