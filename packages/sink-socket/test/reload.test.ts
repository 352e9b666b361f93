// Ensures SIGHUP's reload keeps the clients of unchanged listeners connected and
// receiving, closes the listeners a new config drops or changes, binds the ones it adds,
// and leaves everything as it was when the new config is invalid.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { flowMessage, jsonPayload } from '@netifyd/plugin-sdk/testing';
import { connectRecording, jsonLines, netifydMessages, readNetifydFrames, targetOf, waitFor, type RecordingClient } from './clients.js';
import { hello, startSocketSink, status, useSinkTestState } from './harness.js';

const clients: RecordingClient[] = [];
const state = useSinkTestState('sink-socket-reload', () => {
  for (const client of clients.splice(0)) client.socket.destroy();
});

async function connect(channel: string): Promise<RecordingClient> {
  const [address] = state.started?.sink.boundAddresses(channel) ?? [];
  const client = await connectRecording(targetOf(address as string));
  clients.push(client);
  await waitFor(() => client.bytes().length > 0, `greetings on ${channel}`);
  return client;
}

const isOpen = (client: RecordingClient) => !client.socket.destroyed && client.socket.readyState === 'open';

describe('reload', () => {
  it('keeps the clients of an unchanged listener, closes a dropped channel and binds an added one', async () => {
    const flows = { bind_address: `unix://${state.dir}/flows.sock` };
    state.started = await startSocketSink({ channels: { flows, stats: { bind_address: 'tcp://127.0.0.1:0' } } }, state.dir);
    const stayer = await connect('flows');
    const leaver = await connect('stats');
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(0, 1)));

    await state.started.sink.reload({ channels: { flows, status: { bind_address: 'tcp://127.0.0.1:0' } } });

    await leaver.closed;
    expect(state.started.sink.channels()).toEqual(['flows', 'status']);
    expect(state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(1, 1)))).toBe(true);
    expect(state.started.sink.dispatch('stats', jsonPayload('agent_status', status))).toBe(false);
    await waitFor(() => readNetifydFrames(stayer.bytes()).frames.length === 4, 'the message sent after the reload');
    expect(isOpen(stayer)).toBe(true);
    expect(netifydMessages(stayer.bytes())).toEqual([hello, status, flowMessage(0, 1), flowMessage(1, 1)]);
    const newcomer = await connect('status');
    expect(netifydMessages(newcomer.bytes())).toEqual([hello, status]);
    expect(state.started.context.messages('info').at(-1)).toBe('reloaded: 1 listener(s) kept with their clients, 1 opened, 1 closed');
  });

  it('restarts a listener whose settings changed, so its new clients get the new framing', async () => {
    const address = `unix://${state.dir}/flows.sock`;
    state.started = await startSocketSink({ channels: { flows: { bind_address: address } } }, state.dir);
    const before = await connect('flows');

    await state.started.sink.reload({ channels: { flows: { bind_address: address, framing: 'lines' } } });

    await before.closed;
    const after = await connect('flows');
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(2, 3)));
    await waitFor(() => after.bytes().toString('utf8').split('\n').length === 4, 'three lines');
    expect(jsonLines(after.bytes())).toEqual([hello, status, flowMessage(2, 3)]);
  });

  it('refuses an invalid config before changing anything', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'tcp://127.0.0.1:0' } } }, state.dir);
    const client = await connect('flows');
    const [address] = state.started.sink.boundAddresses('flows');

    await expect(state.started.sink.reload({ channels: { flows: { bind_address: 'carrier-pigeon://loft' } } })).rejects.toThrow(
      /netify-sink-socket\.json.*bind_address/,
    );

    expect(state.started.sink.boundAddresses('flows')).toEqual([address]);
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(4, 5)));
    await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 3, 'the message sent after the refused reload');
    expect(isOpen(client)).toBe(true);
  });

  it('goes on without a new listener that cannot bind, and says which', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      state.started = await startSocketSink({ channels: { flows: { bind_address: 'tcp://127.0.0.1:0' } } }, state.dir);
      const client = await connect('flows');

      await state.started.sink.reload({
        channels: { flows: { bind_address: 'tcp://127.0.0.1:0' }, busy: { bind_address: `tcp://127.0.0.1:${taken}` } },
      });

      expect(state.started.sink.boundAddresses('busy')).toEqual([]);
      expect(state.started.context.messages('error').join('\n')).toMatch(/channel busy: .*127\.0\.0\.1.*the channel goes on without this listener/);
      expect(state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(6, 7)))).toBe(true);
      await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 3, 'the message on the kept channel');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
