// Ensures SIGHUP's reload, against a real Mosquitto: with the same broker the connection
// stays up and new topics apply to new payloads; with another broker every waiting payload
// goes out there, in order; an invalid config changes nothing.
import { describe, expect, it } from 'vitest';
import { TEST_AGENT, flowPayload, sequenceOf, waitFor } from '@netifyd/plugin-sdk/testing';
import { freePort } from './helpers/mosquitto.js';
import { useBrokerFixture } from './helpers/broker-fixture.js';
import { brokerConfig } from './helpers/sink.js';

const fixture = useBrokerFixture('sink-mqtt-reload');
const { harness, listen } = fixture;

const connectedLines = (lines: string[]) => lines.filter((line) => /^(re)?connected to /.test(line)).length;

describe('sink-mqtt reload', () => {
  it('keeps the connection when only topics change; new payloads go to the new topic', async () => {
    const before = await listen(`netify/${TEST_AGENT.uuid}/flows`);
    const after = await listen(`moved/${TEST_AGENT.uuid}/flows`);
    const { sink, tc } = await harness.create(brokerConfig(fixture.broker.port));
    sink.dispatch('flows', flowPayload(0));
    expect(await waitFor(() => before.messages.length === 1, 5000)).toBe(true);

    await sink.reload!(brokerConfig(fixture.broker.port, { topic: 'moved/${uuid_agent}/${channel}' }));

    sink.dispatch('flows', flowPayload(1));
    expect(await waitFor(() => after.messages.length === 1, 5000)).toBe(true);
    expect(sequenceOf(after.messages[0]!.payload)).toBe(1);
    expect(before.messages).toHaveLength(1);
    expect(connectedLines(tc.messages('info'))).toBe(1);
    expect(tc.messages('info')).toContain(`reloaded: connection to mqtt://127.0.0.1:${fixture.broker.port} kept`);
  });

  it('moves every payload waiting for an unreachable broker to the new one, in order', async () => {
    const data = await listen(`netify/${TEST_AGENT.uuid}/flows`);
    const nowhere = await freePort();
    const { sink, tc } = await harness.create(brokerConfig(nowhere));
    for (let i = 0; i < 5; i++) expect(sink.dispatch('flows', flowPayload(i))).toBe(true);
    expect(sink.stats().backlog).toBe(5);

    await sink.reload!(brokerConfig(fixture.broker.port));

    expect(await waitFor(() => data.messages.length === 5, 5000)).toBe(true);
    expect(data.messages.map((m) => sequenceOf(m.payload))).toEqual([0, 1, 2, 3, 4]);
    expect(await waitFor(() => sink.stats().sent === 5, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ backlog: 0, connected: 1 });
    expect(tc.messages('info')).toContain(`reloaded: now publishing to mqtt://127.0.0.1:${fixture.broker.port}; 5 waiting payload(s) carried over`);
  });

  it('a smaller max_queue_kb keeps the newest waiting payloads and counts the dropped ones', async () => {
    const data = await listen(`netify/${TEST_AGENT.uuid}/flows`);
    const { sink } = await harness.create(brokerConfig(await freePort()));
    // 200-byte payloads: 10 fit in the default queue, 5 in 1 KiB.
    for (let i = 0; i < 10; i++) sink.dispatch('flows', flowPayload(i));

    await sink.reload!(brokerConfig(fixture.broker.port, { max_queue_kb: 1 }));

    expect(await waitFor(() => data.messages.length === 5, 5000)).toBe(true);
    expect(data.messages.map((m) => sequenceOf(m.payload))).toEqual([5, 6, 7, 8, 9]);
    expect(sink.stats()).toMatchObject({ dropped_queue_full: 5 });
  });

  it('refuses an invalid config and goes on publishing as before', async () => {
    const data = await listen(`netify/${TEST_AGENT.uuid}/flows`);
    const { sink } = await harness.create(brokerConfig(fixture.broker.port));

    await expect(sink.reload!(brokerConfig(fixture.broker.port, { message_qos: 7 }))).rejects.toThrow(/netify-sink-mqtt\.json/);

    sink.dispatch('flows', flowPayload(0));
    expect(await waitFor(() => data.messages.length === 1, 5000)).toBe(true);
    expect(sink.stats()).toMatchObject({ connected: 1, reconnects: 0 });
  });
});
