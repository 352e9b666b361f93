import { createRequire } from 'node:module';
import { PLUGIN_ABI, definePlugin } from '@netifyd/plugin-sdk';
import { createHttpSink } from './http-sink.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export default definePlugin({ abi: PLUGIN_ABI, kind: 'sink', name: 'sink-http', version, create: createHttpSink });

export { createHttpSink } from './http-sink.js';
export { httpSinkSchema } from './schema.js';
export type { HttpAuthConfig, HttpChannelConfig, HttpSinkConfig } from './schema.js';
export type { HttpCounters } from './counters.js';
