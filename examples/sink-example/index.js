import { createWriteStream } from 'node:fs';
import { definePlugin, createConfigValidator, PLUGIN_ABI } from '@netifyd/plugin-sdk';

// Appends every payload it is handed to the file `path`, one per line.
const validate = createConfigValidator({
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1 },
    channels: { type: 'array', items: { type: 'string', minLength: 1 }, default: ['default'] },
  },
  required: ['path'],
});

export default definePlugin({
  abi: PLUGIN_ABI, kind: 'sink', name: 'sink-example', version: '1.0.0',
  create(context) {
    let config;
    let out;                                  // the open file, from start to stop
    const counters = { queued: 0, sent: 0, dropped: 0, errors: 0 };
    return {
      async init(raw) { config = validate(raw, context.configFile ?? 'netify-sink-example.json'); },
      async start() {
        out = createWriteStream(config.path, { flags: 'a', mode: 0o600 });
        out.on('error', (error) => {
          counters.errors++;
          context.log.error(`${config.path}: ${error.message}`);
        });
      },
      async stop() {                          // may be called twice
        const closing = out;
        out = undefined;                      // refuse from now on, flush what was written
        if (closing && !closing.closed) await new Promise((resolve) => closing.end().once('close', resolve));
      },
      channels: () => config.channels,
      dispatch(channel, payload) {            // payload.data: one encoded message
        if (!out?.writable || !config.channels.includes(channel) || !(payload?.data instanceof Uint8Array)) {
          counters.dropped++;                 // refused: stopped, unknown channel, malformed
          return false;
        }
        out.write(payload.data);
        out.write('\n');
        counters.sent++;
        return true;
      },
      stats: () => ({ ...counters }),
    };
  },
});
