// Ensures sink-http survives a failing collector without losing or reordering payloads:
// 5xx and timeouts are retried with backoff, 429 waits for Retry-After, other 4xx are
// dropped once and counted, and a collector that is not up yet gets everything later.
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { delay, flowPayload, sequenceOf, startLoopMonitor, waitFor } from '@netifyd/plugin-sdk/testing';
import { freePort } from './helpers/collector.js';
import { FAULT_TEST_TIMEOUT_MS, OUTAGE_MS, reportFigures } from './helpers/faults.js';
import { channelConfig, useCollectorFixture } from './helpers/sink.js';

const { harness, collector, onCleanup } = useCollectorFixture();

const range = (n: number) => [...Array(n).keys()];

describe('sink-http retries', () => {
  it(
    `collector answering 500 for ${OUTAGE_MS} ms, then 200: every payload delivered once, in order`,
    async () => {
      let failing = true;
      const peer = await collector({ responder: () => ({ status: failing ? 500 : 200 }) });
      const { sink, tc } = await harness.create(channelConfig(`${peer.url}/flows`));
      const monitor = startLoopMonitor();
      const started = Date.now();
      let sent = 0;
      // One payload every 20 ms through the outage and 1 s beyond it.
      while (Date.now() - started < OUTAGE_MS + 1000) {
        if (Date.now() - started >= OUTAGE_MS) failing = false;
        expect(sink.dispatch('flows', flowPayload(sent))).toBe(true);
        sent += 1;
        await delay(20);
      }
      expect(await waitFor(() => peer.accepted().length >= sent, 15_000)).toBe(true);
      const figures = monitor.stop();
      const delivered = peer.accepted().map(sequenceOf);
      expect(delivered).toEqual(range(sent));
      const stats = sink.stats();
      expect(stats).toMatchObject({ queued: sent, sent, dropped: 0, backlog: 0 });
      expect(stats.retried).toBeGreaterThan(0);
      expect(stats.errors).toBe(peer.requests.filter((r) => r.status === 500).length);
      expect(tc.text()).toContain('failed: HTTP 500; retrying with backoff');
      expect(tc.text()).toMatch(/resumed after \d+ failed attempt/);
      expect(tc.lines.filter((l) => l.message.includes('HTTP 500'))).toHaveLength(1);
      reportFigures('http 500 then 200', {
        outage_ms: OUTAGE_MS,
        sent,
        delivered: delivered.length,
        duplicates: delivered.length - new Set(delivered).size,
        dropped: stats.dropped,
        retried: stats.retried,
        http_500_answers: stats.errors,
        max_loop_lag_ms: figures.maxLagMs,
        peak_rss_mb: figures.peakRssMb,
      });
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  it('429 with Retry-After: waits at least that long before the next attempt', async () => {
    const peer = await collector({ responder: (index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }) });
    const { sink } = await harness.create(channelConfig(`${peer.url}/flows`));
    sink.dispatch('flows', flowPayload(0));
    sink.dispatch('flows', flowPayload(1));
    expect(await waitFor(() => peer.accepted().length === 2, 5000)).toBe(true);
    const [limited, retried] = peer.requests;
    expect(limited?.status).toBe(429);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(peer.accepted().map(sequenceOf)).toEqual([0, 1]);
    expect(await waitFor(() => sink.stats().sent === 2, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ retried: 1, errors: 1, dropped: 0, sent: 2 });
  });

  it('other 4xx: dropped without retry, counted, logged once per status', async () => {
    const statuses = [400, 400, 413, 400, 200];
    const peer = await collector({ responder: (index) => ({ status: statuses[index] ?? 200 }) });
    const { sink, tc } = await harness.create(channelConfig(`${peer.url}/flows`));
    for (const seq of range(6)) sink.dispatch('flows', flowPayload(seq));
    expect(await waitFor(() => peer.requests.length === 6, 5000)).toBe(true);
    await delay(200);
    expect(peer.requests).toHaveLength(6);
    expect(peer.accepted().map(sequenceOf)).toEqual([4, 5]);
    expect(sink.stats()).toMatchObject({ sent: 2, dropped: 4, dropped_rejected: 4, retried: 0, errors: 4 });
    const rejectionLines = tc.lines.filter((l) => l.message.includes('rejected a payload'));
    expect(rejectionLines.map((l) => /HTTP (\d+)/.exec(l.message)?.[1])).toEqual(['400', '413']);
  });

  it('a collector that never answers hits timeout_transfer and is retried until it does', async () => {
    let answer = false;
    const peer = await collector({ responder: () => (answer ? { status: 200 } : { status: 200, delayMs: 60_000 }) });
    const { sink, tc } = await harness.create(channelConfig(`${peer.url}/flows`, { timeout_transfer: 1 }));
    sink.dispatch('flows', flowPayload(0));
    expect(await waitFor(() => (sink.stats().errors ?? 0) >= 1, 5000)).toBe(true);
    answer = true;
    expect(await waitFor(() => peer.accepted().length === 1, 5000)).toBe(true);
    expect(tc.text()).toMatch(/failed: .*timeout_transfer/);
    expect(await waitFor(() => sink.stats().sent === 1, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ sent: 1, dropped: 0 });
  });

  it('a TLS peer that never completes the handshake hits timeout_connect and is retried', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    onCleanup(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const port = (silent.address() as { port: number }).port;
    const { sink, tc } = await harness.create(channelConfig(`https://127.0.0.1:${port}/flows`, { timeout_connect: 1, stop_timeout_ms: 100 }));
    sink.dispatch('flows', flowPayload(0));
    expect(await waitFor(() => tc.text().includes('connect timeout (timeout_connect)'), 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ sent: 0, backlog: 1 });
  });

  it(
    'connection refused at start, collector appears later: everything delivered in order',
    async () => {
      const port = await freePort();
      const { sink, tc } = await harness.create(channelConfig(`http://127.0.0.1:${port}/flows`));
      for (const seq of range(50)) expect(sink.dispatch('flows', flowPayload(seq))).toBe(true);
      expect(await waitFor(() => tc.text().includes('connection refused (ECONNREFUSED)'), 5000)).toBe(true);
      await delay(500);
      const peer = await collector({ port });
      expect(await waitFor(() => peer.accepted().length === 50, 10_000)).toBe(true);
      expect(peer.accepted().map(sequenceOf)).toEqual(range(50));
      expect(await waitFor(() => sink.stats().sent === 50, 5000)).toBe(true);
      const stats = sink.stats();
      expect(stats).toMatchObject({ sent: 50, dropped: 0, backlog: 0 });
      expect(stats.retried).toBeGreaterThan(0);
      reportFigures('http refused at start', { sent: 50, delivered: 50, retried: stats.retried, dropped: stats.dropped });
    },
    FAULT_TEST_TIMEOUT_MS,
  );
});
