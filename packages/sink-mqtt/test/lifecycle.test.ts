// Ensures the last will reaches subscribers when the agent's connection dies without a
// DISCONNECT, that the sink reconnects by itself afterwards, and that stop() is bounded
// when the broker is gone: what could not be published is counted, never hangs the agent.
import { describe, expect, it } from 'vitest';
import type { Payload } from '@netifyd/plugin-sdk';
import { TEST_AGENT, flowPayload, sequenceOf, waitFor } from '@netifyd/plugin-sdk/testing';
import { freePort } from './helpers/mosquitto.js';
import { startProxy } from './helpers/proxy.js';
import { useBrokerFixture } from './helpers/broker-fixture.js';
import { brokerConfig } from './helpers/sink.js';

const fixture = useBrokerFixture('sink-mqtt-lifecycle');
const { harness, listen } = fixture;

describe('sink-mqtt lifecycle', () => {
  it('a connection cut without DISCONNECT makes the broker publish the offline will; the sink reconnects and goes on', async () => {
    const relay = await startProxy(fixture.broker.port);
    fixture.onCleanup(() => relay.close());
    const status = await listen('netify/+/status-will');
    const data = await listen(`netify/${TEST_AGENT.uuid}/flows`);
    const { sink, tc } = await harness.create(
      brokerConfig(relay.port, { keepalive: 5, last_will: { topic: 'netify/${uuid_agent}/status-will', retain: false } }),
    );
    const live = () => status.messages.map((m) => JSON.parse(m.payload.toString()) as Record<string, unknown>);
    expect(await waitFor(() => live().length === 1, 5000)).toBe(true);
    expect(live()[0]).toMatchObject({ status: 'online' });
    sink.dispatch('flows', flowPayload(0));
    expect(await waitFor(() => data.messages.length === 1, 5000)).toBe(true);

    relay.sever();
    expect(await waitFor(() => live().some((m) => m.status === 'offline'), 5000)).toBe(true);
    expect(live().find((m) => m.status === 'offline')).toMatchObject({ type: 'agent_status', uuid: TEST_AGENT.uuid });
    expect(await waitFor(() => sink.stats().reconnects === 1, 5000)).toBe(true);
    expect(live().at(-1)).toMatchObject({ status: 'online' });
    sink.dispatch('flows', flowPayload(1));
    expect(await waitFor(() => data.messages.length === 2, 5000)).toBe(true);
    expect(data.messages.map((m) => sequenceOf(m.payload))).toEqual([0, 1]);
    expect(tc.text()).toMatch(/lost the connection to mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(tc.text()).toMatch(/reconnected to mqtt:\/\/127\.0\.0\.1:\d+ after \d+ attempt/);
  });

  it('payloads in flight when the connection is cut are published again after reconnect (QoS 1, at least once, in order)', async () => {
    const relay = await startProxy(fixture.broker.port);
    fixture.onCleanup(() => relay.close());
    const data = await listen(`netify/${TEST_AGENT.uuid}/flows`);
    const { sink } = await harness.create(brokerConfig(relay.port));
    expect(await waitFor(() => sink.stats().connected === 1, 5000)).toBe(true);
    relay.swallowReplies();
    for (let seq = 0; seq < 20; seq += 1) sink.dispatch('flows', flowPayload(seq));
    // The broker got them (the subscriber sees them) but no PUBACK came back.
    expect(await waitFor(() => data.messages.length === 20, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ sent: 0, in_flight: 20 });
    relay.sever();
    expect(await waitFor(() => sink.stats().sent === 20, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ retried: 20, reconnects: 1, dropped: 0, backlog: 0 });
    expect(await waitFor(() => data.messages.length === 40, 5000)).toBe(true);
    const seqs = data.messages.map((m) => sequenceOf(m.payload));
    expect(seqs).toEqual([...[...Array(20).keys()], ...[...Array(20).keys()]]);
  });

  it('last_will.enable=false: no status messages at all', async () => {
    const status = await listen(`netify/${TEST_AGENT.uuid}/status`);
    const { sink } = await harness.create(brokerConfig(fixture.broker.port, { last_will: { enable: false } }));
    expect(await waitFor(() => sink.stats().connected === 1, 5000)).toBe(true);
    await sink.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(status.messages.filter((m) => !m.retain)).toHaveLength(0);
  });

  it('stop() with the broker unreachable returns within stop_timeout_ms and counts what was left', async () => {
    const port = await freePort();
    const { sink, tc } = await harness.create(brokerConfig(port, { stop_timeout_ms: 300 }));
    for (let seq = 0; seq < 10; seq += 1) sink.dispatch('flows', flowPayload(seq));
    const started = Date.now();
    await Promise.all([sink.stop(), sink.stop()]);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(1500);
    expect(sink.stats()).toMatchObject({ dropped: 10, dropped_at_stop: 10, backlog: 0, connected: 0 });
    expect(tc.text()).toContain('dropped 10 payload(s) in total');
  });

  it('a malformed payload is refused and counted, never thrown', async () => {
    const port = await freePort();
    const { sink, tc } = await harness.create(brokerConfig(port, { stop_timeout_ms: 0 }));
    const broken = { message: 'flow', types: ['stream-flows'], format: 'json', compressor: 'none' } as unknown as Payload;
    expect(sink.dispatch('flows', broken)).toBe(false);
    expect(sink.stats().errors).toBeGreaterThanOrEqual(1);
    expect(tc.text()).toContain('error: flows: payload refused');
  });

  it('a payload larger than max_queue_kb is refused and counted; the queue never exceeds its bound', async () => {
    const port = await freePort();
    const { sink } = await harness.create(brokerConfig(port, { max_queue_kb: 4, stop_timeout_ms: 0 }));
    expect(sink.dispatch('flows', flowPayload(0, { size: 5000 }))).toBe(false);
    let peak = 0;
    for (let seq = 1; seq <= 20; seq += 1) {
      expect(sink.dispatch('flows', flowPayload(seq, { size: 1024 }))).toBe(true);
      peak = Math.max(peak, sink.stats().backlog_bytes ?? 0);
    }
    expect(peak).toBeLessThanOrEqual(4096);
    expect(sink.stats()).toMatchObject({ dropped_too_large: 1, dropped_queue_full: 16, dropped: 17, backlog: 4, queued: 21, sent: 0 });
  });
});
