export interface BackoffPolicy {
  readonly minMs: number;
  readonly maxMs: number;
}

/** Longest `Retry-After` honoured; a collector asking for more is waited on this long. */
export const RETRY_AFTER_CAP_MS = 3_600_000;

/**
 * Delay before retry number `attempt` (0-based): exponential from `minMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so agents restarted together do
 * not hit a recovering collector in lockstep, yet never retry sooner than half the step.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from `now`; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  const ms = /^\s*\d+\s*$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, ms));
}
