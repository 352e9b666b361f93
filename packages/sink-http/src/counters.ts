/** Monotonic counters of one sink instance; gauges (backlog) are read from the senders. */
export interface HttpCounters {
  /** Payloads handed to a declared channel (and spooled ones reloaded at start), kept or dropped at once. */
  queued: number;
  /** Payloads the collector answered 2xx. */
  sent: number;
  /** Attempts repeated after a network error, timeout, 5xx, 408 or 429. */
  retried: number;
  /** Payloads given up, whatever the reason (sum of the dropped_* counters). */
  dropped: number;
  /** Failed attempts (network, TLS, timeout, non-2xx status). */
  errors: number;
  dropped_backlog_full: number;
  dropped_rejected: number;
  dropped_too_large: number;
  dropped_at_stop: number;
  /** dispatch() calls refused: unknown or disabled channel, or after stop. */
  refused: number;
  /** Payloads written to the spool at stop. */
  spooled: number;
}

export type DropReason = 'backlog_full' | 'rejected' | 'too_large' | 'at_stop';

export function createCounters(): HttpCounters {
  return {
    queued: 0,
    sent: 0,
    retried: 0,
    dropped: 0,
    errors: 0,
    dropped_backlog_full: 0,
    dropped_rejected: 0,
    dropped_too_large: 0,
    dropped_at_stop: 0,
    refused: 0,
    spooled: 0,
  };
}

export function countDrop(counters: HttpCounters, reason: DropReason, count = 1): void {
  counters.dropped += count;
  counters[`dropped_${reason}`] += count;
}
