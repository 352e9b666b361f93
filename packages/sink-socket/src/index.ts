import { createRequire } from 'node:module';
import { PLUGIN_ABI, definePlugin } from '@netifyd/plugin-sdk';
import { SocketSink } from './socket-sink.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export default definePlugin({
  abi: PLUGIN_ABI,
  kind: 'sink',
  name: 'sink-socket',
  version,
  create: (context) => new SocketSink(context),
});

export { SocketSink } from './socket-sink.js';
export type { SocketSinkStats } from './socket-sink.js';
export { sinkSocketSchema } from './schema.js';
export type { Framing, SinkSocketChannelConfig, SinkSocketConfig } from './schema.js';
export { LEGACY_SOCKET_CHANNEL, channelsFromSocketSection } from './legacy-socket-section.js';
export { NETIFYD_SOCKET_PORT, formatBindAddress, parseBindAddress } from './bind-address.js';
export type { BindAddress, ParsedBindAddress } from './bind-address.js';
export { encodeStreamFrame, msgpackLengthHeader } from './framing.js';
