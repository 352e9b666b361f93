// Ensures a broker outage loses nothing that was not counted: the broker (a real
// Mosquitto with persistence, so its own subscribers lose nothing) is stopped mid-run and
// restarted on the same port while the agent keeps dispatching. With a queue large enough
// nothing is lost; with a small one, the payloads missing at the subscriber are exactly
// the counted drops. The queue stays within max_queue_kb and the event loop keeps ticking.
// Also: a broker that is not up yet at start gets everything once it appears.
import { afterEach, describe, expect, it } from 'vitest';
import type { Sink } from '@netifyd/plugin-sdk';
import { TEST_AGENT, createTempDir, delay, flowPayload, sequenceOf, startLoopMonitor, waitFor } from '@netifyd/plugin-sdk/testing';
import { FAULT_TEST_TIMEOUT_MS, OUTAGE_MS, reportFigures } from './helpers/faults.js';
import { Mosquitto, freePort } from './helpers/mosquitto.js';
import { startProxy } from './helpers/proxy.js';
import { SinkHarness, brokerConfig } from './helpers/sink.js';
import { subscribe } from './helpers/subscriber.js';
import type { Subscriber } from './helpers/subscriber.js';

const TOPIC = `netify/${TEST_AGENT.uuid}/flows`;
const PAYLOAD_BYTES = 1024;
const INTERVAL_MS = 10;

const harness = new SinkHarness();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await harness.cleanup();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function brokerWithPersistence(): Promise<Mosquitto> {
  const dir = await createTempDir('sink-mqtt-outage');
  cleanups.push(dir.remove);
  const broker = await Mosquitto.create(dir.path, { persistence: true });
  cleanups.push(() => broker.stop());
  return broker;
}

async function persistentSubscriber(broker: Mosquitto): Promise<Subscriber> {
  const sub = await subscribe(broker.url, TOPIC, { persistent: true });
  cleanups.push(() => sub.close());
  return sub;
}

interface OutageRun {
  readonly sent: number;
  readonly received: Set<number>;
  readonly duplicates: number;
  /** Whether first arrivals came in dispatch order (duplicates are broker redeliveries). */
  readonly inOrder: boolean;
  readonly peakBacklogBytes: number;
  readonly maxLagMs: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly stats: ReturnType<Sink['stats']>;
}

/** Dispatches one 1 KiB payload every 10 ms for 1 s, through the outage, and 2 s beyond. */
async function runThroughOutage(maxQueueKb: number): Promise<OutageRun> {
  const broker = await brokerWithPersistence();
  const sub = await persistentSubscriber(broker);
  const { sink } = await harness.create(brokerConfig(broker.port, { max_queue_kb: maxQueueKb, stop_timeout_ms: 10_000 }));
  expect(await waitFor(() => sink.stats().connected === 1, 5000)).toBe(true);

  const monitor = startLoopMonitor();
  const outage = (async () => {
    await delay(1000);
    await broker.stop();
    await delay(OUTAGE_MS);
    await broker.start();
  })();
  const started = Date.now();
  let sent = 0;
  let peakBacklogBytes = 0;
  while (Date.now() - started < 1000 + OUTAGE_MS + 2000) {
    expect(sink.dispatch('flows', flowPayload(sent, { size: PAYLOAD_BYTES }))).toBe(true);
    sent += 1;
    peakBacklogBytes = Math.max(peakBacklogBytes, sink.stats().backlog_bytes ?? 0);
    await delay(INTERVAL_MS);
  }
  await outage;
  expect(await waitFor(() => sink.stats().backlog === 0, 20_000)).toBe(true);
  const expected = sent - sink.stats().dropped;
  // Parse each arrival once: re-parsing thousands of messages per poll would itself lag the loop.
  const arrivals: number[] = [];
  const received = new Set<number>();
  const unique = (): number => {
    for (const message of sub.messages.slice(arrivals.length)) {
      arrivals.push(sequenceOf(message.payload));
      received.add(arrivals[arrivals.length - 1] as number);
    }
    return received.size;
  };
  await waitFor(() => unique() >= expected, 15_000);
  await delay(200);
  unique();
  const figures = monitor.stop();
  return {
    sent,
    received,
    duplicates: arrivals.length - received.size,
    inOrder: firstArrivalsInOrder(arrivals),
    peakBacklogBytes,
    maxLagMs: figures.maxLagMs,
    peakRssMb: figures.peakRssMb,
    peakHeapMb: figures.peakHeapMb,
    stats: sink.stats(),
  };
}

function firstArrivalsInOrder(seqs: readonly number[]): boolean {
  const seen = new Set<number>();
  let last = -1;
  for (const seq of seqs) {
    if (seen.has(seq)) continue;
    seen.add(seq);
    if (seq < last) return false;
    last = seq;
  }
  return true;
}

describe('sink-mqtt broker outage', () => {
  it(
    `broker down ${OUTAGE_MS} ms, QoS 1 and a queue large enough: 0 payloads lost`,
    async () => {
      const run = await runThroughOutage(8192);
      const lost = run.sent - run.received.size;
      reportFigures('mqtt outage, large queue', {
        outage_ms: OUTAGE_MS,
        sent: run.sent,
        delivered_unique: run.received.size,
        duplicates: run.duplicates,
        in_order: run.inOrder,
        lost,
        dropped_counted: run.stats.dropped,
        retried: run.stats.retried,
        reconnects: run.stats.reconnects,
        peak_queue_kb: run.peakBacklogBytes / 1024,
        max_loop_lag_ms: run.maxLagMs,
        peak_rss_mb: run.peakRssMb,
        peak_heap_mb: run.peakHeapMb,
      });
      expect(lost).toBe(0);
      expect(run.inOrder).toBe(true);
      expect(run.stats).toMatchObject({ queued: run.sent, sent: run.sent });
      expect(run.stats.dropped).toBe(0);
      expect(run.stats.reconnects).toBe(1);
      expect(run.peakBacklogBytes).toBeGreaterThan(0);
      expect(run.maxLagMs).toBeLessThan(200);
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  it(
    `broker down ${OUTAGE_MS} ms with a 64 KiB queue: payloads lost == counted drops, queue bounded`,
    async () => {
      const run = await runThroughOutage(64);
      const lost = run.sent - run.received.size;
      reportFigures('mqtt outage, small queue', {
        outage_ms: OUTAGE_MS,
        sent: run.sent,
        delivered_unique: run.received.size,
        duplicates: run.duplicates,
        in_order: run.inOrder,
        lost,
        dropped_counted: run.stats.dropped,
        dropped_queue_full: run.stats.dropped_queue_full,
        peak_queue_kb: run.peakBacklogBytes / 1024,
        max_loop_lag_ms: run.maxLagMs,
        peak_rss_mb: run.peakRssMb,
        peak_heap_mb: run.peakHeapMb,
      });
      expect(run.stats.dropped).toBeGreaterThan(0);
      expect(lost).toBe(run.stats.dropped);
      expect(run.inOrder).toBe(true);
      expect(run.stats.queued).toBe(run.sent);
      expect((run.stats.sent ?? 0) + run.stats.dropped).toBe(run.sent);
      expect(run.stats.dropped_queue_full).toBe(run.stats.dropped);
      expect(run.peakBacklogBytes).toBeLessThanOrEqual(64 * 1024);
      expect(run.maxLagMs).toBeLessThan(200);
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  it('connection refused at start, broker reachable later: everything delivered in order', async () => {
    const broker = await brokerWithPersistence();
    const sub = await subscribe(broker.url, TOPIC);
    cleanups.push(() => sub.close());
    // The sink is pointed at a port nobody listens on yet; later a relay to the broker opens there.
    const port = await freePort();
    const { sink, tc } = await harness.create(brokerConfig(port));
    for (let seq = 0; seq < 100; seq += 1) expect(sink.dispatch('flows', flowPayload(seq))).toBe(true);
    expect(await waitFor(() => tc.text().includes('connection refused (ECONNREFUSED)'), 5000)).toBe(true);
    await delay(300);
    expect(sink.stats()).toMatchObject({ connected: 0, backlog: 100, sent: 0 });
    const relay = await startProxy(broker.port, port);
    cleanups.push(() => relay.close());
    expect(await waitFor(() => sub.messages.length === 100, 10_000)).toBe(true);
    expect(sub.messages.map((m) => sequenceOf(m.payload))).toEqual([...Array(100).keys()]);
    expect(await waitFor(() => sink.stats().sent === 100, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ dropped: 0, connected: 1, backlog: 0 });
    expect(tc.text()).toMatch(/connected to mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(tc.lines.filter((l) => l.message.includes('ECONNREFUSED'))).toHaveLength(1);
  });
});
