// Ensures a slow collector never blocks the agent: dispatch stays cheap and the event
// loop keeps ticking while requests take seconds, the backlog (bounded) absorbs the
// difference, and stop() returns within stop_timeout_ms even with a request in flight.
import { describe, expect, it } from 'vitest';
import { delay, flowPayload, sequenceOf, startLoopMonitor, waitFor } from '@netifyd/plugin-sdk/testing';
import { FAULT_TEST_TIMEOUT_MS, SLOW_REPLY_MS, reportFigures } from './helpers/faults.js';
import { channelConfig, useCollectorFixture } from './helpers/sink.js';

const { harness, collector } = useCollectorFixture();

describe('sink-http slow collector', () => {
  it(
    `responses after ${SLOW_REPLY_MS} ms never block the event loop; everything arrives in order once it speeds up`,
    async () => {
      let slow = true;
      const peer = await collector({ responder: () => (slow ? { status: 200, delayMs: SLOW_REPLY_MS } : { status: 200 }) });
      const { sink } = await harness.create(channelConfig(`${peer.url}/flows`));
      const monitor = startLoopMonitor();
      let sent = 0;
      let slowestDispatchMs = 0;
      const phaseEnd = Date.now() + 3 * SLOW_REPLY_MS;
      while (Date.now() < phaseEnd) {
        const before = performance.now();
        expect(sink.dispatch('flows', flowPayload(sent, { size: 512 }))).toBe(true);
        slowestDispatchMs = Math.max(slowestDispatchMs, performance.now() - before);
        sent += 1;
        await delay(10);
      }
      const duringSlow = peer.accepted().length;
      const backlogAtPeak = sink.stats().backlog_bytes ?? 0;
      slow = false;
      expect(await waitFor(() => peer.accepted().length === sent, 20_000)).toBe(true);
      const figures = monitor.stop();
      expect(peer.accepted().map(sequenceOf)).toEqual([...Array(sent).keys()]);
      expect(duringSlow).toBeLessThanOrEqual(4);
      expect(figures.maxLagMs).toBeLessThan(200);
      expect(slowestDispatchMs).toBeLessThan(20);
      reportFigures('http slow collector', {
        reply_ms: SLOW_REPLY_MS,
        sent,
        delivered_while_slow: duringSlow,
        delivered: peer.accepted().length,
        dropped: sink.stats().dropped,
        backlog_bytes_at_peak: backlogAtPeak,
        max_loop_lag_ms: figures.maxLagMs,
        slowest_dispatch_ms: slowestDispatchMs,
        peak_rss_mb: figures.peakRssMb,
        peak_heap_mb: figures.peakHeapMb,
      });
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  it('stop() returns within stop_timeout_ms while a slow request is in flight, and twice', async () => {
    const peer = await collector({ responder: () => ({ status: 200, delayMs: 10_000 }) });
    const { sink } = await harness.create(channelConfig(`${peer.url}/flows`, { stop_timeout_ms: 500 }));
    sink.dispatch('flows', flowPayload(0));
    sink.dispatch('flows', flowPayload(1));
    await delay(100);
    const started = Date.now();
    const first = sink.stop();
    const second = sink.stop();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(1500);
    expect(sink.stats()).toMatchObject({ sent: 0, dropped_at_stop: 2, backlog: 0 });
  });

  it('stop() delivers a waiting backlog to a healthy collector before returning', async () => {
    const peer = await collector();
    const { sink } = await harness.create(channelConfig(`${peer.url}/flows`));
    for (let seq = 0; seq < 100; seq += 1) sink.dispatch('flows', flowPayload(seq));
    await sink.stop();
    expect(peer.accepted().map(sequenceOf)).toEqual([...Array(100).keys()]);
    expect(sink.stats()).toMatchObject({ sent: 100, dropped: 0 });
  });
});
