import { createDeliveryCounters } from '@netifyd/sink-kit';
import type { DeliveryCounters, DropCounters } from '@netifyd/sink-kit';

export const HTTP_DROP_REASONS = ['backlog_full', 'rejected', 'too_large', 'at_stop'] as const;

export type HttpDropReason = (typeof HTTP_DROP_REASONS)[number];

/**
 * Monotonic counters of one sink instance; gauges (backlog) are read from the senders.
 * `sent`: answered 2xx; `retried`: attempts repeated after a network error, timeout, 5xx,
 * 408 or 429; `errors`: failed attempts (network, TLS, timeout, non-2xx status).
 */
export interface HttpCounters extends DeliveryCounters, DropCounters<HttpDropReason> {
  /** Payloads written to the spool at stop. */
  spooled: number;
}

export function createCounters(): HttpCounters {
  return { ...createDeliveryCounters(HTTP_DROP_REASONS), spooled: 0 };
}
