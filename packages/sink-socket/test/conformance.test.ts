// Ensures sink-socket keeps the Sink contract (plugin-sdk's conformance check) with a
// real Unix socket client as its peer: refusals, netifyd-framed messages in order (also
// those dispatched just before stop), counters.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sink } from '@netifyd/plugin-sdk';
import { checkSinkConformance, waitFor } from '@netifyd/plugin-sdk/testing';
import type { TestContext } from '@netifyd/plugin-sdk/testing';
import factory from '../src/index.js';
import { connectRecording, readNetifydFrames } from './clients.js';
import type { RecordingClient } from './clients.js';

let client: RecordingClient | undefined;
afterEach(() => {
  client?.socket.destroy();
  client = undefined;
});

describe('sink-socket conformance', () => {
  it('passes checkSinkConformance with a Unix socket client as the peer', async () => {
    let path: string | undefined;
    const report = await checkSinkConformance({
      create: (context) => factory.create(context),
      config: (context: TestContext) => {
        path = join(context.paths.volatile, 'conformance.sock');
        return {
          framing: 'netifyd',
          channels: { flows: { bind_address: `unix://${path}` }, off: { enable: false, bind_address: 'tcp://127.0.0.1:0' } },
        };
      },
      channel: 'flows',
      disabledChannel: 'off',
      ready: async (sink: Sink) => {
        client = await connectRecording({ path: path as string });
        // The sink must have taken the client before anything is broadcast.
        if (!(await waitFor(() => sink.stats().clients === 1, 5000))) throw new Error('the sink never counted the client');
      },
      received: () => readNetifydFrames((client as RecordingClient).bytes()).frames.map((frame) => frame.body),
      context: { name: 'sink-socket', configFile: 'netify-sink-socket.json' },
    });
    expect(report.passed).toContain('the ready hook resolves');
    expect(report.passed.length).toBeGreaterThanOrEqual(15);
    expect(report.stats).toMatchObject({ sent: 5, clients: 0, clients_dropped: 0 });
    await client?.closed;
  });
});
