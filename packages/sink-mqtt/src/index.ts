import { createRequire } from 'node:module';
import { PLUGIN_ABI, definePlugin } from '@netifyd/plugin-sdk';
import { createMqttSink } from './mqtt-sink.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export default definePlugin({ abi: PLUGIN_ABI, kind: 'sink', name: 'sink-mqtt', version, create: createMqttSink });

export { createMqttSink } from './mqtt-sink.js';
export { mqttSinkSchema, DEFAULT_TOPIC, DEFAULT_STATUS_TOPIC } from './schema.js';
export type { MqttChannelConfig, MqttLastWillConfig, MqttSinkConfig } from './schema.js';
export type { MqttCounters } from './counters.js';
