export interface BackoffPolicy {
  readonly minMs: number;
  readonly maxMs: number;
}

/** Longest retry-after honoured; a peer asking for more is waited on this long. */
export const RETRY_AFTER_CAP_MS = 3_600_000;

/**
 * Delay before retry number `attempt` (0-based): exponential from `minMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so agents that lost the same peer
 * do not come back in lockstep, yet never sooner than half the step.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * The wait before retry `attempt`: what the peer asked for when it said (e.g. HTTP
 * `Retry-After`, at most RETRY_AFTER_CAP_MS), else the backoff delay.
 */
export function retryDelay(attempt: number, policy: BackoffPolicy, retryAfterMs?: number, random?: () => number): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, retryAfterMs));
  return backoffDelay(attempt, policy, random);
}
