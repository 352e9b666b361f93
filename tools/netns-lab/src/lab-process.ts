import { spawn, type ChildProcess } from 'node:child_process';
import { LabError } from './errors.js';

export type OutputStream = 'stdout' | 'stderr';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface LineWaiter {
  pattern: RegExp;
  stream: OutputStream;
  resolve(line: string): void;
  reject(error: Error): void;
}

const MAX_KEPT_LINES = 2_000;
const DEFAULT_STOP_GRACE_MS = 2_000;

/**
 * A long-running program started inside a namespace (a server, tcpdump). Keeps its
 * output as lines so callers can wait for a ready line or an event line.
 */
export class LabProcess {
  readonly argv: readonly string[];
  readonly exited: Promise<ExitStatus>;
  private readonly child: ChildProcess;
  private readonly lines: Record<OutputStream, string[]> = { stdout: [], stderr: [] };
  private readonly partial: Record<OutputStream, string> = { stdout: '', stderr: '' };
  private waiters = new Set<LineWaiter>();
  private exitStatus: ExitStatus | undefined;

  constructor(argv: readonly string[]) {
    const [file, ...args] = argv;
    if (file === undefined) throw new TypeError('LabProcess needs a program');
    this.argv = argv;
    this.child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of ['stdout', 'stderr'] as const) {
      this.child[stream]?.setEncoding('utf8');
      this.child[stream]?.on('data', (chunk: string) => this.onData(stream, chunk));
    }
    this.exited = new Promise((resolve) => {
      const finish = (status: ExitStatus): void => {
        if (this.exitStatus) return;
        this.flushPartialLines();
        this.exitStatus = status;
        this.failWaiters(`exited (${describeExit(status)}) before printing the expected line`);
        resolve(status);
      };
      this.child.once('error', () => finish({ code: null, signal: null }));
      this.child.once('close', (code, signal) => finish({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitStatus === undefined;
  }

  /** Complete lines printed so far on one stream (the most recent 2,000). */
  output(stream: OutputStream = 'stdout'): readonly string[] {
    return this.lines[stream];
  }

  /** Resolves with the first line (already printed or future) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs: number, stream: OutputStream = 'stdout'): Promise<string> {
    const seen = this.lines[stream].find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    if (!this.running) {
      return Promise.reject(this.error(`exited (${describeExit(this.exitStatus)}) before printing ${pattern}`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(this.error(`printed no line matching ${pattern} on ${stream} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: LineWaiter = {
        pattern,
        stream,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Sends `signal`, then SIGKILL if the program is still running after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = DEFAULT_STOP_GRACE_MS): Promise<ExitStatus> {
    if (!this.running) return this.exited;
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, escalate]);
    clearTimeout(timer);
    return this.exited;
  }

  /** For exit handlers, which cannot wait. */
  killNow(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  private onData(stream: OutputStream, chunk: string): void {
    const text = this.partial[stream] + chunk;
    const parts = text.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const line of parts) this.addLine(stream, line.replace(/\r$/, ''));
  }

  private flushPartialLines(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') this.addLine(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  private addLine(stream: OutputStream, line: string): void {
    const kept = this.lines[stream];
    kept.push(line);
    if (kept.length > MAX_KEPT_LINES) kept.shift();
    for (const waiter of [...this.waiters]) {
      if (waiter.stream === stream && waiter.pattern.test(line)) {
        this.waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  }

  private failWaiters(reason: string): void {
    for (const waiter of this.waiters) waiter.reject(this.error(reason));
    this.waiters.clear();
  }

  private error(reason: string): LabError {
    const stderr = this.lines.stderr.slice(-3).join(' | ');
    return new LabError(
      'ERR_LAB_PROCESS',
      `\`${this.argv.join(' ')}\` ${reason}${stderr ? ` (stderr: ${stderr})` : ''}`,
    );
  }
}

function describeExit(status: ExitStatus | undefined): string {
  if (!status) return 'unknown status';
  if (status.signal) return `signal ${status.signal}`;
  return status.code === null ? 'failed to start' : `code ${status.code}`;
}
