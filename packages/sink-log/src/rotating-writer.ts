import { readdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createTemporaryFile, publishWithoutClobbering, writeAll } from './atomic-file.js';
import {
  compareRotatedFiles,
  parseRotatedFileName,
  rotatedFileName,
  temporaryPath,
  timestampUtc,
  type RotatedFile,
} from './file-names.js';
import { RecordQueue, type TakenRecords } from './record-queue.js';
import type { ChannelWriter, FailureReporter, LogCounters } from './writer.js';

export interface RotationLimits {
  /** 0 = no limit. A single payload larger than this still gets a file of its own. */
  readonly maxFileBytes: number;
  /** 0 = no limit. */
  readonly maxFileAgeMs: number;
  /** 0 = keep all. */
  readonly maxFiles: number;
}

interface OpenFile {
  readonly handle: FileHandle;
  readonly temporary: string;
  readonly openedAt: Date;
  readonly ageTimer: NodeJS.Timeout | undefined;
  bytes: number;
  payloads: number;
}

/**
 * overwrite=false. Appends payloads to a hidden temporary file and publishes it as
 * `<log_name><YYYYMMDD-HHMMSS><ext>` (the time it was opened) once it reaches
 * `maxFileBytes`, once it is `maxFileAgeMs` old, or on close. Readers only ever see
 * complete files. After each publish the oldest files beyond `maxFiles` are removed.
 */
export class RotatingWriter implements ChannelWriter {
  private readonly pending = new RecordQueue();
  private current: OpenFile | undefined;
  private rotateDue = false;
  private closing = false;
  private running: Promise<void> | undefined;
  /** The last published name's stamp and sequence: a later file in the same second must sort after it, even once pruning frees lower sequences. */
  private lastPublished = { stamp: '', sequence: -1 };

  constructor(
    private readonly directory: string,
    private readonly logName: string,
    private readonly extension: string,
    private readonly limits: RotationLimits,
    private readonly counters: LogCounters,
    private readonly reportFailure: FailureReporter,
  ) {}

  append(data: Uint8Array, separator: Uint8Array): void {
    this.pending.append(data, separator);
    this.kick();
  }

  queuedPayloads(): number {
    return this.pending.records + (this.current?.payloads ?? 0);
  }

  queuedBytes(): number {
    return this.pending.bytes;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.kick();
    while (this.running) await this.running;
  }

  private kick(): void {
    this.running ??= this.pump().finally(() => {
      this.running = undefined;
    });
  }

  /** The only place files are touched, so writes, rotation and close never interleave. */
  private async pump(): Promise<void> {
    while (this.pending.records > 0 || this.rotateDue) {
      if (this.rotateDue) {
        this.rotateDue = false;
        await this.publish();
        continue;
      }
      await this.writeSome();
    }
    if (this.closing) await this.publish();
  }

  private async writeSome(): Promise<void> {
    let file: OpenFile;
    try {
      file = this.current ?? (await this.open());
    } catch (error) {
      this.fail(this.pending.clear(), `cannot create a file in ${this.directory}: ${(error as Error).message}`);
      return;
    }
    const batch = this.take(file.bytes);
    if (batch.records === 0) {
      await this.publish();
      return;
    }
    try {
      file.bytes += await writeAll(file.handle, batch.chunks);
      file.payloads += batch.records;
    } catch (error) {
      // The file may now end in a partial record: discard it rather than publish it.
      await this.discard(file);
      this.fail(batch.records + file.payloads, `cannot write ${file.temporary}: ${(error as Error).message}`);
      return;
    }
    if (this.limits.maxFileBytes > 0 && file.bytes >= this.limits.maxFileBytes) await this.publish();
  }

  /** As many queued records as fit in the open file; at least one into an empty file. */
  private take(fileBytes: number): TakenRecords {
    const limit = this.limits.maxFileBytes;
    return this.pending.take(limit > 0 ? limit - fileBytes : Number.POSITIVE_INFINITY, fileBytes === 0);
  }

  private async open(): Promise<OpenFile> {
    const openedAt = new Date();
    const temporary = temporaryPath(this.directory, rotatedFileName(this.logName, openedAt, this.extension, 0));
    const handle = await createTemporaryFile(temporary);
    let ageTimer: NodeJS.Timeout | undefined;
    if (this.limits.maxFileAgeMs > 0) {
      ageTimer = setTimeout(() => {
        this.rotateDue = true;
        this.kick();
      }, this.limits.maxFileAgeMs);
      ageTimer.unref();
    }
    this.current = { handle, temporary, openedAt, ageTimer, bytes: 0, payloads: 0 };
    return this.current;
  }

  private async publish(): Promise<void> {
    const file = this.current;
    if (!file) return;
    this.current = undefined;
    clearTimeout(file.ageTimer);
    let name: string;
    try {
      await file.handle.sync();
      await file.handle.close();
      const stamp = timestampUtc(file.openedAt);
      const first = stamp === this.lastPublished.stamp ? this.lastPublished.sequence + 1 : 0;
      name = await publishWithoutClobbering(file.temporary, this.directory, (attempt) =>
        rotatedFileName(this.logName, file.openedAt, this.extension, first + attempt),
      );
      this.lastPublished = { stamp, sequence: parseRotatedFileName(name, this.logName, this.extension)?.sequence ?? first };
    } catch (error) {
      await this.discard(file);
      this.fail(file.payloads, `cannot publish ${file.temporary}: ${(error as Error).message}`);
      return;
    }
    this.counters.sent += file.payloads;
    this.counters.files_written++;
    this.counters.bytes_written += file.bytes;
    try {
      await this.prune(name);
    } catch (error) {
      this.counters.errors++;
      this.reportFailure(`cannot remove old files of ${this.logName}* beyond max_files: ${(error as Error).message}`);
    }
  }

  private async discard(file: OpenFile): Promise<void> {
    if (this.current === file) this.current = undefined;
    clearTimeout(file.ageTimer);
    await file.handle.close().catch(() => undefined);
    await unlink(file.temporary).catch(() => undefined);
  }

  /** Removes this channel's oldest published files beyond `maxFiles`; never the one just published. */
  private async prune(justPublished: string): Promise<void> {
    if (this.limits.maxFiles <= 0) return;
    const files = (await readdir(this.directory))
      .map((name) => parseRotatedFileName(name, this.logName, this.extension))
      .filter((file): file is RotatedFile => file !== undefined && file.name !== justPublished)
      .sort(compareRotatedFiles);
    const excess = files.length + 1 - this.limits.maxFiles;
    for (const file of files.slice(0, Math.max(0, excess))) {
      await unlink(join(this.directory, file.name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }

  private fail(payloads: number, message: string): void {
    this.counters.errors++;
    this.counters.dropped += payloads;
    this.reportFailure(`${message}; ${payloads} payload(s) lost`);
  }
}
