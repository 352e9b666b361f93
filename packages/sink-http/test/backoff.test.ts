// Ensures retry delays grow exponentially with jitter up to the cap, and that
// Retry-After is read in both of its forms.
import { describe, expect, it } from 'vitest';
import { RETRY_AFTER_CAP_MS, backoffDelay, parseRetryAfter } from '../src/backoff.js';

describe('backoff', () => {
  const policy = { minMs: 100, maxMs: 1000 };

  it('doubles per attempt between half and the full step, and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, policy, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(1000, policy, () => 1)).toBe(1000);
  });

  it('reads Retry-After as seconds or as an HTTP date, capped, ignoring garbage', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(['2'], now)).toBe(2000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999', now)).toBe(RETRY_AFTER_CAP_MS);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
