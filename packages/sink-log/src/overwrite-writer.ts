import { latestFileName, temporaryPath } from './file-names.js';
import { replaceFileAtomically } from './atomic-file.js';
import { RecordQueue } from './record-queue.js';
import type { ChannelWriter, FailureReporter, LogCounters } from './writer.js';

/**
 * overwrite=true. Collects what a channel receives during one flush interval and then
 * atomically replaces `<log_name>latest<ext>` with it, so the file always holds exactly
 * the payloads of the most recent interval that had any (an interval without payloads
 * leaves the previous file in place). Also flushes on close.
 */
export class OverwriteWriter implements ChannelWriter {
  private readonly pending = new RecordQueue();
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

  append(data: Uint8Array, separator: Uint8Array): void {
    this.pending.append(data, separator);
  }

  queuedPayloads(): number {
    return this.pending.records + this.inFlightPayloads;
  }

  queuedBytes(): number {
    return this.pending.bytes;
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
    if (this.pending.records === 0) return;
    const { chunks, records: payloads } = this.pending.take(Number.POSITIVE_INFINITY, true);
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
