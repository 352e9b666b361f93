// Ensures the payload builders produce what proc-core hands a sink, the wait and loop
// helpers measure what they say, and the testing entry point is importable without a test
// framework.
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { delay, encodedPayload, flowMessage, flowPayload, jsonPayload, sequenceOf, startLoopMonitor, waitFor } from '../src/testing/index.js';

describe('payload builders', () => {
  it('jsonPayload: one JSON message without a newline, gzip when asked', () => {
    const plain = jsonPayload('agent_status', { type: 'agent_status', n: 1 });
    expect(plain).toMatchObject({ message: 'agent_status', types: ['stream-flows'], format: 'json', compressor: 'none' });
    expect(Buffer.from(plain.data).toString()).toBe('{"type":"agent_status","n":1}');
    const gz = jsonPayload('flow', flowMessage(3), { compressor: 'gz', types: ['legacy-socket'] });
    expect(gz).toMatchObject({ compressor: 'gz', types: ['legacy-socket'] });
    expect(JSON.parse(gunzipSync(gz.data).toString())).toEqual(flowMessage(3));
  });

  it('encodedPayload keeps the caller’s bytes and format', () => {
    const bytes = Uint8Array.of(0x81, 0xa4, 0x74, 0x79, 0x70, 0x65);
    const payload = encodedPayload('flow', 'msgpack', bytes);
    expect(payload.format).toBe('msgpack');
    expect(payload.data).toBe(bytes);
    expect(Buffer.from(gunzipSync(encodedPayload('flow', 'msgpack', bytes, { compressor: 'gz' }).data))).toEqual(Buffer.from(bytes));
  });

  it('flowPayload is exactly the size asked (default 200) and sequenceOf reads it back', () => {
    expect(flowPayload(7).data.byteLength).toBe(200);
    expect(flowPayload(123456, { size: 1024 }).data.byteLength).toBe(1024);
    expect(sequenceOf(flowPayload(123456, { size: 1024 }).data)).toBe(123456);
    expect(sequenceOf(flowMessage(9, 4))).toBe(9);
    expect(() => sequenceOf(Buffer.from('{"type":"agent_status"}'))).toThrow(/not a test flow message/);
  });
});

describe('waitFor and startLoopMonitor', () => {
  it('waitFor resolves true once the predicate holds, false at the deadline', async () => {
    let ready = false;
    setTimeout(() => (ready = true), 50);
    expect(await waitFor(() => ready, 2000)).toBe(true);
    const started = Date.now();
    expect(await waitFor(async () => false, 100)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('startLoopMonitor sees the event loop blocked for 150 ms', async () => {
    const monitor = startLoopMonitor();
    await delay(30);
    // Blocks this thread without spinning the CPU.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
    await delay(30);
    const figures = monitor.stop();
    expect(figures.maxLagMs).toBeGreaterThanOrEqual(100);
    expect(figures.peakRssMb).toBeGreaterThan(0);
  });
});

describe('@netifyd/plugin-sdk/testing entry point', () => {
  it('resolves through the package exports and imports no test framework', async () => {
    const testing = await import('@netifyd/plugin-sdk/testing');
    expect(typeof testing.checkSinkConformance).toBe('function');
    const dist = new URL('../dist/testing/', import.meta.url);
    const sources = readdirSync(dist).filter((file) => file.endsWith('.js'));
    expect(sources).toContain('index.js');
    for (const file of sources) expect(readFileSync(new URL(file, dist), 'utf8'), file).not.toMatch(/vitest|from 'jest'|node:test/);
  });
});
