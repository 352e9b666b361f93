// Ensures retry delays grow exponentially with jitter up to the cap, and that a peer's
// retry-after wins over the backoff, within its own cap.
import { describe, expect, it } from 'vitest';
import { RETRY_AFTER_CAP_MS, backoffDelay, retryDelay } from '../src/index.js';

describe('backoff', () => {
  const policy = { minMs: 100, maxMs: 1000 };

  it('doubles per attempt between half and the full step, and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, policy, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(1000, policy, () => 1)).toBe(1000);
  });

  it('jitter spreads delays inside [step/2, step]', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelay(3, policy));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(400);
    expect(Math.max(...delays)).toBeLessThanOrEqual(800);
    expect(new Set(delays).size).toBeGreaterThan(10);
  });

  it('retryDelay honours a retry-after (even beyond maxMs), capped at RETRY_AFTER_CAP_MS, else backs off', () => {
    expect(retryDelay(5, policy, 3000)).toBe(3000);
    expect(retryDelay(5, policy, 0)).toBe(0);
    expect(retryDelay(0, policy, -50)).toBe(0);
    expect(retryDelay(0, policy, 10 * RETRY_AFTER_CAP_MS)).toBe(RETRY_AFTER_CAP_MS);
    expect(retryDelay(2, policy, undefined, () => 1)).toBe(400);
    expect(retryDelay(2, policy, Number.NaN, () => 0)).toBe(200);
  });
});
