// Ensures the dispatch guard passes payloads with data bytes, and refuses anything else,
// counting each in errors and reporting only the first.
import { describe, expect, it } from 'vitest';
import { jsonPayload } from '@netifyd/plugin-sdk/testing';
import { createPayloadGuard } from '../src/index.js';

describe('createPayloadGuard', () => {
  it('passes bytes; refuses strings, missing data and null, reporting once', () => {
    const counters = { errors: 0 };
    const reports: string[] = [];
    const hasBytes = createPayloadGuard(counters, (message) => reports.push(message));
    const payload = jsonPayload('flow', { type: 'flow' });
    expect(hasBytes('flows', payload)).toBe(true);
    expect(hasBytes('flows', { ...payload, data: 'text' })).toBe(false);
    expect(hasBytes('stats', { message: 'flow' })).toBe(false);
    expect(hasBytes('flows', null)).toBe(false);
    expect(counters.errors).toBe(3);
    expect(reports).toEqual(['flows: payload refused: no data bytes (further malformed payloads are only counted)']);
  });
});
