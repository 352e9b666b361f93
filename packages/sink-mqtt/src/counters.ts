/** Monotonic counters of one sink instance; gauges (backlog, connected) are read live. */
export interface MqttCounters {
  /** Payloads handed to a declared channel, kept or dropped at once. */
  queued: number;
  /** Payloads published: written for QoS 0, acknowledged (PUBACK/PUBCOMP) for QoS 1/2. */
  sent: number;
  /** In-flight payloads published again after the connection was lost. */
  retried: number;
  /** Payloads given up, whatever the reason (sum of the dropped_* counters). */
  dropped: number;
  /** Failed connection attempts and failed publishes. */
  errors: number;
  dropped_queue_full: number;
  dropped_too_large: number;
  dropped_publish_failed: number;
  dropped_at_stop: number;
  /** dispatch() calls refused: unknown or disabled channel, unpublishable topic, or after stop. */
  refused: number;
  /** Successful connections after the first (one per outage survived). */
  reconnects: number;
}

export type DropReason = 'queue_full' | 'too_large' | 'publish_failed' | 'at_stop';

export function createCounters(): MqttCounters {
  return {
    queued: 0,
    sent: 0,
    retried: 0,
    dropped: 0,
    errors: 0,
    dropped_queue_full: 0,
    dropped_too_large: 0,
    dropped_publish_failed: 0,
    dropped_at_stop: 0,
    refused: 0,
    reconnects: 0,
  };
}

export function countDrop(counters: MqttCounters, reason: DropReason, count = 1): void {
  counters.dropped += count;
  counters[`dropped_${reason}`] += count;
}
