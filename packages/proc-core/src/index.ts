import { createRequire } from 'node:module';
import { PLUGIN_ABI, definePlugin } from '@netifyd/plugin-sdk';
import { ProcCore } from './processor.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export default definePlugin({
  abi: PLUGIN_ABI,
  kind: 'processor',
  name: 'proc-core',
  version,
  create: (context) => new ProcCore(context),
});

export { ProcCore } from './processor.js';
export type { ProcCoreStats } from './processor.js';
export { procCoreSchema } from './schema.js';
export { encodeJson } from './json-encoder.js';
export { encodeMessage } from './encode.js';
export { MESSAGE_PAYLOAD_TYPES } from './message-routing.js';
export type { RoutedMessage } from './message-routing.js';
