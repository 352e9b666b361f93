import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchError } from './errors.js';

export const TIME_BINARY = '/usr/bin/time';

export interface MeasuredRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Spawn to exit, measured by this process. */
  wallMs: number;
  /** Peak resident set size of the command, KiB, as GNU time's %M reports it (from wait4's rusage). */
  maxRssKb: number;
  /** CPU seconds in user and kernel mode of the command and its threads (GNU time %U, %S). */
  userS: number;
  sysS: number;
  stdout: string;
  stderr: string;
}

const KEEP = 64 * 1024;

/**
 * Runs `command args` under GNU time (peak RSS, CPU time); output is kept (the last 64 KiB of
 * each stream). `env` adds variables to this process's environment; an undefined value unsets one.
 */
export async function runMeasured(
  command: string,
  args: string[],
  timeoutMs: number,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<MeasuredRun> {
  if (!existsSync(TIME_BINARY)) {
    throw new BenchError('ERR_BENCH_TIME', `${TIME_BINARY} not found: install the Debian package 'time' (apt-get install time)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'bench-time-'));
  const report = join(dir, 'time');
  try {
    const started = process.hrtime.bigint();
    const { exitCode, signal, stdout, stderr } = await new Promise<Pick<MeasuredRun, 'exitCode' | 'signal' | 'stdout' | 'stderr'>>((resolve, reject) => {
      const child = spawn(TIME_BINARY, ['-f', '%M %U %S', '-o', report, command, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(env ? { env: { ...process.env, ...env } } : {}),
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out = (out + chunk).slice(-KEEP)));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-KEEP)));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new BenchError('ERR_BENCH_SPAWN', `cannot run ${command}: ${error.message}`, { cause: error }));
      });
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        resolve({ exitCode: code, signal: sig, stdout: out, stderr: err });
      });
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    // GNU time writes "Command exited with non-zero status N" before the figure when the command fails.
    const lastLine = (await readFile(report, 'utf8').catch(() => '')).trim().split('\n').pop() ?? '';
    const figures = /^(\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(lastLine);
    const [maxRssKb, userS, sysS] = figures ? [Number(figures[1]), Number(figures[2]), Number(figures[3])] : [NaN, NaN, NaN];
    return { exitCode, signal, wallMs, maxRssKb, userS, sysS, stdout, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
