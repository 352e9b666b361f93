import { createRequire } from 'node:module';
import { PLUGIN_ABI, definePlugin } from '@netifyd/plugin-sdk';
import { LogSink } from './log-sink.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export default definePlugin({
  abi: PLUGIN_ABI,
  kind: 'sink',
  name: 'sink-log',
  version,
  create: (context) => new LogSink(context),
});

export { LogSink } from './log-sink.js';
export type { LogSinkStats } from './log-sink.js';
export { sinkLogSchema } from './schema.js';
export type { SinkLogChannelConfig, SinkLogConfig } from './schema.js';
