// Ensures Retry-After is read in both of its forms (delta-seconds, HTTP date) and garbage
// is ignored; the cap on what is honoured lives in sink-kit's retryDelay.
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/retry-after.js';

describe('parseRetryAfter', () => {
  it('reads seconds or an HTTP date, never negative, ignoring garbage', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(['2'], now)).toBe(2000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999', now)).toBe(999_999_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(' ', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
