import { createDeliveryCounters } from '@netifyd/sink-kit';
import type { DeliveryCounters, DropCounters } from '@netifyd/sink-kit';

export const MQTT_DROP_REASONS = ['queue_full', 'too_large', 'publish_failed', 'at_stop'] as const;

export type MqttDropReason = (typeof MQTT_DROP_REASONS)[number];

/**
 * Monotonic counters of one sink instance; gauges (backlog, connected) are read live.
 * `sent`: written for QoS 0, acknowledged (PUBACK/PUBCOMP) for QoS 1/2; `retried`:
 * in-flight payloads published again after the connection was lost; `errors`: failed
 * connection attempts and failed publishes.
 */
export interface MqttCounters extends DeliveryCounters, DropCounters<MqttDropReason> {
  /** Successful connections after the first (one per outage survived). */
  reconnects: number;
}

export function createCounters(): MqttCounters {
  return { ...createDeliveryCounters(MQTT_DROP_REASONS), reconnects: 0 };
}
