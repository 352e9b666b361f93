/** Counters shared by every writer of one sink instance (reported by `stats()`). */
export interface LogCounters {
  /** Payloads now in a published file. */
  sent: number;
  dropped: number;
  errors: number;
  files_written: number;
  /** Bytes of published files. */
  bytes_written: number;
}

/** Reports a failure once it has been counted; the sink decides how loudly. */
export type FailureReporter = (message: string) => void;

/** Writes one channel's payloads of one encoding (`.json`, `.msgpack.gz`, …). */
export interface ChannelWriter {
  /** Queues one payload's bytes followed by its separator (copied: the caller may reuse them). */
  append(data: Uint8Array, separator: Uint8Array): void;
  /** Payloads accepted but not yet in a published file. */
  queuedPayloads(): number;
  /** Bytes accepted but not yet written to any file (what `max_queue_kb` bounds). */
  queuedBytes(): number;
  /** Writes and publishes everything accepted; the writer takes nothing afterwards. */
  close(): Promise<void>;
}
