// Ensures sink-mqtt publishes each payload's bytes unchanged to a real Mosquitto broker,
// on `netify/<uuid>/<channel>` (or the configured topic), with the configured QoS and
// retain flag, in dispatch order, and announces the agent online on the status topic.
import { describe, expect, it } from 'vitest';
import { TEST_AGENT, flowPayload, sequenceOf, waitFor } from '@netifyd/plugin-sdk/testing';
import { useBrokerFixture } from './helpers/broker-fixture.js';
import { brokerConfig, sampleConfig } from './helpers/sink.js';

const fixture = useBrokerFixture('sink-mqtt-broker');
const { harness, listen } = fixture;

describe('sink-mqtt delivery', () => {
  it('publishes payload bytes unchanged on netify/<uuid>/<channel>, in order, QoS 1', async () => {
    const sub = await listen(`netify/${TEST_AGENT.uuid}/+`);
    const { sink } = await harness.create(brokerConfig(fixture.broker.port));
    for (let seq = 0; seq < 300; seq += 1) expect(sink.dispatch(seq % 3 === 0 ? 'stats' : 'flows', flowPayload(seq))).toBe(true);
    const data = () => sub.messages.filter((m) => !m.topic.endsWith('/status'));
    expect(await waitFor(() => data().length === 300, 10_000)).toBe(true);
    const flows = sub.on(`netify/${TEST_AGENT.uuid}/flows`);
    const stats = sub.on(`netify/${TEST_AGENT.uuid}/stats`);
    expect(flows.map((m) => sequenceOf(m.payload))).toEqual([...Array(300).keys()].filter((seq) => seq % 3 !== 0));
    expect(stats.map((m) => sequenceOf(m.payload))).toEqual([...Array(300).keys()].filter((seq) => seq % 3 === 0));
    expect(flows[0]?.payload.equals(Buffer.from(flowPayload(1).data))).toBe(true);
    expect(flows.every((m) => m.qos === 1 && !m.retain)).toBe(true);
    expect(await waitFor(() => sink.stats().sent === 300 && sink.stats().in_flight === 0, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ queued: 300, sent: 300, dropped: 0, errors: 0, backlog_bytes: 0, in_flight: 0, connected: 1 });
  });

  it('honours message_qos 0/2, message_retain and per-channel topics (extension)', async () => {
    const sub = await listen('custom/#');
    const { sink } = await harness.create(
      brokerConfig(fixture.broker.port, {
        topic: 'custom/${uuid_agent}/${channel}',
        message_qos: 0,
        channels: { flows: {}, status: { topic: 'custom/status/${uuid_serial}', message_qos: 2, message_retain: true }, off: { enable: false } },
      }),
    );
    expect(sink.channels()).toEqual(['flows', 'status']);
    expect(sink.dispatch('flows', flowPayload(1))).toBe(true);
    expect(sink.dispatch('status', flowPayload(2))).toBe(true);
    expect(sink.dispatch('off', flowPayload(3))).toBe(false);
    expect(sink.dispatch('other', flowPayload(4))).toBe(false);
    expect(await waitFor(() => sub.messages.length === 2, 5000)).toBe(true);
    expect(sub.on(`custom/${TEST_AGENT.uuid}/flows`)[0]?.qos).toBe(0);
    const status = sub.on(`custom/status/${TEST_AGENT.uuidSerial}`)[0];
    expect(status?.qos).toBe(1); // the subscription's QoS caps delivery; the broker got QoS 2
    expect(sink.stats()).toMatchObject({ sent: 2, refused: 2 });
    // Retained: a late subscriber still gets it.
    const late = await listen('custom/status/#');
    expect(await waitFor(() => late.messages.length === 1, 5000)).toBe(true);
    expect(late.messages[0]?.retain).toBe(true);
    late.client.publish(`custom/status/${TEST_AGENT.uuidSerial}`, '', { retain: true });
  });

  it('announces online (retained) on the status topic and offline at a clean stop', async () => {
    const sub = await listen(`netify/${TEST_AGENT.uuid}/status`);
    const { sink } = await harness.create(brokerConfig(fixture.broker.port));
    // Live messages only: a retained one may be left by an earlier test.
    const live = () => sub.messages.filter((m) => !m.retain).map((m) => JSON.parse(m.payload.toString()) as Record<string, unknown>);
    expect(await waitFor(() => live().length === 1, 5000)).toBe(true);
    expect(live()[0]).toMatchObject({ type: 'agent_status', status: 'online', uuid: TEST_AGENT.uuid, uuid_serial: TEST_AGENT.uuidSerial });
    await sink.stop();
    expect(await waitFor(() => live().length === 2, 5000)).toBe(true);
    expect(live()[1]).toMatchObject({ type: 'agent_status', status: 'offline', uuid: TEST_AGENT.uuid });
    // And it stays retained for whoever subscribes later.
    const late = await listen(`netify/${TEST_AGENT.uuid}/status`);
    expect(await waitFor(() => late.messages.length === 1, 5000)).toBe(true);
    expect(late.messages[0]?.retain).toBe(true);
    expect(JSON.parse(late.messages[0]?.payload.toString() ?? '{}')).toMatchObject({ status: 'offline' });
  });

  it('runs with the sample etc/netify-sink-mqtt.json pointed at the test broker (anonymous)', async () => {
    const sub = await listen(`netify/${TEST_AGENT.uuid}/flows`);
    const config: Record<string, unknown> = { ...sampleConfig(), port: fixture.broker.port };
    delete config.user;
    delete config.pass;
    const { sink } = await harness.create(config);
    sink.dispatch('flows', flowPayload(9));
    expect(await waitFor(() => sub.messages.length === 1, 5000)).toBe(true);
  });

  it('with only host and port: default topic netify/<uuid>/<channel> at QoS 1, client id = agent uuid', async () => {
    const sub = await listen(`netify/${TEST_AGENT.uuid}/#`);
    const { sink } = await harness.create({ host: '127.0.0.1', port: fixture.broker.port });
    // No channel list: any channel name is taken, except one that would put a wildcard in the topic.
    expect(sink.dispatch('bad+name', flowPayload(4))).toBe(false);
    expect(sink.dispatch('aggregate', flowPayload(5))).toBe(true);
    expect(sink.dispatch('my-own-channel', flowPayload(6))).toBe(true);
    expect(await waitFor(() => sub.on(`netify/${TEST_AGENT.uuid}/aggregate`).length === 1, 5000)).toBe(true);
    expect(await waitFor(() => sub.on(`netify/${TEST_AGENT.uuid}/my-own-channel`).length === 1, 5000)).toBe(true);
    expect(sub.on(`netify/${TEST_AGENT.uuid}/aggregate`)[0]?.qos).toBe(1);
    expect(fixture.broker.log).toContain(`New client connected from 127.0.0.1`);
    expect(fixture.broker.log).toMatch(new RegExp(`as ${TEST_AGENT.uuid} `));
  });

  it('stop() flushes queued QoS 1 messages before disconnecting, and can be called twice', async () => {
    const sub = await listen(`netify/${TEST_AGENT.uuid}/flows`);
    const { sink } = await harness.create(brokerConfig(fixture.broker.port));
    expect(await waitFor(() => sink.stats().connected === 1, 5000)).toBe(true);
    for (let seq = 0; seq < 2000; seq += 1) sink.dispatch('flows', flowPayload(seq, { size: 500 }));
    const first = sink.stop();
    expect(sink.stop()).toBe(first);
    await first;
    expect(sink.stats()).toMatchObject({ sent: 2000, dropped: 0, backlog: 0 });
    expect(await waitFor(() => sub.messages.length === 2000, 10_000)).toBe(true);
    expect(sub.messages.map((m) => sequenceOf(m.payload))).toEqual([...Array(2000).keys()]);
    expect(sink.dispatch('flows', flowPayload(1))).toBe(false);
  });
});
