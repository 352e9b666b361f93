// Ensures sink-mqtt keeps the Sink contract (plugin-sdk's conformance check) against a
// real Mosquitto broker on 127.0.0.1: refusals, in-order delivery, flush at stop, counters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AGENT, checkSinkConformance, createTempDir } from '@netifyd/plugin-sdk/testing';
import type { TempDir } from '@netifyd/plugin-sdk/testing';
import plugin from '../src/index.js';
import { Mosquitto } from './helpers/mosquitto.js';
import { brokerConfig } from './helpers/sink.js';
import { subscribe } from './helpers/subscriber.js';
import type { Subscriber } from './helpers/subscriber.js';

let dir: TempDir;
let broker: Mosquitto;
let subscriber: Subscriber | undefined;
beforeAll(async () => {
  dir = await createTempDir('sink-mqtt-conformance');
  broker = await Mosquitto.create(dir.path);
});
afterAll(async () => {
  await subscriber?.close();
  await broker?.stop();
  await dir?.remove();
});

describe('sink-mqtt conformance', () => {
  it('passes checkSinkConformance against a Mosquitto broker', async () => {
    const topic = `netify/${TEST_AGENT.uuid}/flows`;
    const sub = await subscribe(broker.url, `netify/${TEST_AGENT.uuid}/#`);
    subscriber = sub;
    const report = await checkSinkConformance({
      create: (context) => plugin.create(context),
      config: brokerConfig(broker.port, { channels: { flows: {}, off: { enable: false } } }),
      channel: 'flows',
      disabledChannel: 'off',
      received: () => sub.on(topic).map((message) => message.payload),
      context: { name: 'sink-mqtt', configFile: 'netify-sink-mqtt.json' },
    });
    expect(report.passed.length).toBeGreaterThanOrEqual(15);
    expect(report.stats).toMatchObject({ sent: 5, dropped: 0, backlog: 0 });
    // Only the declared channel's topic and the status topic saw messages.
    expect(new Set(sub.messages.map((message) => message.topic))).toEqual(new Set([topic, `netify/${TEST_AGENT.uuid}/status`]));
  });
});
