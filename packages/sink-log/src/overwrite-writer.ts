import { latestFileName, temporaryPath } from './file-names.js';
import { replaceFileAtomically } from './atomic-file.js';
import type { LogRecord } from './record-encoding.js';
import type { ChannelWriter, FailureReporter, LogCounters } from './writer.js';

/**
 * overwrite=true. Collects what a channel receives during one flush interval and then
 * atomically replaces `<log_name>latest<ext>` with it, so the file always holds exactly
 * the payloads of the most recent interval that had any (an interval without payloads
 * leaves the previous file in place). Also flushes on close.
 */
export class OverwriteWriter implements ChannelWriter {
  private pending: Uint8Array[] = [];
  private pendingPayloads = 0;
  private pendingBytes = 0;
  private inFlightPayloads = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly fileName: string;

  constructor(
    private readonly directory: string,
    logName: string,
    extension: string,
    flushIntervalMs: number,
    private readonly counters: LogCounters,
    private readonly reportFailure: FailureReporter,
  ) {
    this.fileName = latestFileName(logName, extension);
    this.timer = setInterval(() => void this.flush(), flushIntervalMs);
    this.timer.unref();
  }

  append(record: LogRecord): void {
    this.pending.push(...record.chunks);
    this.pendingPayloads++;
    this.pendingBytes += record.bytes;
  }

  queuedPayloads(): number {
    return this.pendingPayloads + this.inFlightPayloads;
  }

  queuedBytes(): number {
    return this.pendingBytes;
  }

  /** Replaces the file with everything received since the previous flush (serialised). */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.replaceFile());
    return this.chain;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async replaceFile(): Promise<void> {
    if (this.pendingPayloads === 0) return;
    const chunks = this.pending;
    const payloads = this.pendingPayloads;
    this.pending = [];
    this.pendingPayloads = 0;
    this.pendingBytes = 0;
    this.inFlightPayloads = payloads;
    try {
      const bytes = await replaceFileAtomically(
        this.directory,
        this.fileName,
        temporaryPath(this.directory, this.fileName),
        chunks,
      );
      this.counters.sent += payloads;
      this.counters.files_written++;
      this.counters.bytes_written += bytes;
    } catch (error) {
      this.counters.errors++;
      this.counters.dropped += payloads;
      this.reportFailure(`cannot replace ${this.fileName}: ${(error as Error).message}; ${payloads} payload(s) lost`);
    } finally {
      this.inFlightPayloads = 0;
    }
  }
}
