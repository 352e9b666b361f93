/**
 * Monotonic counters every delivering sink reports. A retry is not a drop: `dropped`
 * counts payloads given up for good and is the sum of the `dropped_<reason>` counters.
 */
export interface DeliveryCounters {
  /** Payloads handed to a declared channel, kept or dropped at once. */
  queued: number;
  /** Payloads the peer took (answered, acknowledged or written). */
  sent: number;
  /** Payloads or attempts repeated after a failure. */
  retried: number;
  /** Payloads given up, whatever the reason. */
  dropped: number;
  /** Failed attempts (network, TLS, timeouts, refusals by the peer). */
  errors: number;
  /** dispatch() calls refused: unknown or disabled channel, malformed payload, or after stop. */
  refused: number;
}

export type DropCounters<R extends string> = { [K in `dropped_${R}`]: number };

export function createDeliveryCounters<R extends string>(reasons: readonly R[]): DeliveryCounters & DropCounters<R> {
  const counters: Record<string, number> = { queued: 0, sent: 0, retried: 0, dropped: 0, errors: 0, refused: 0 };
  for (const reason of reasons) counters[`dropped_${reason}`] = 0;
  return counters as DeliveryCounters & DropCounters<R>;
}

export function countDrop<R extends string>(counters: DeliveryCounters & DropCounters<R>, reason: R, count = 1): void {
  const byReason = counters as unknown as Record<string, number>;
  counters.dropped += count;
  byReason[`dropped_${reason}`] = (byReason[`dropped_${reason}`] ?? 0) + count;
}

/** The summary line logged at stop, e.g. `dropped 5 payload(s) in total: queue_full 5, at_stop 0`; undefined when none was. */
export function describeDrops<R extends string>(counters: DeliveryCounters & DropCounters<R>, reasons: readonly R[]): string | undefined {
  if (counters.dropped === 0) return undefined;
  const byReason = reasons.map((reason) => `${reason} ${(counters as unknown as Record<string, number>)[`dropped_${reason}`]}`);
  return `dropped ${counters.dropped} payload(s) in total: ${byReason.join(', ')}`;
}
