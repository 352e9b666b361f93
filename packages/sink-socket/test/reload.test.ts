// Ensures SIGHUP's reload keeps the clients of unchanged listeners connected and
// receiving, closes the listeners a new config drops or changes, binds the ones it adds,
// and leaves everything as it was when the new config is invalid.
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDir, flowMessage, jsonPayload } from '@netifyd/plugin-sdk/testing';
import { connectRecording, jsonLines, netifydMessages, readNetifydFrames, targetOf, waitFor, type RecordingClient } from './clients.js';
import { hello, startSocketSink, status, type StartedSocketSink } from './harness.js';

let temp: { path: string; remove: () => Promise<void> };
let started: StartedSocketSink | undefined;
const clients: RecordingClient[] = [];
beforeEach(async () => {
  temp = await createTempDir('sink-socket-reload');
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  await started?.sink.stop();
  started = undefined;
  await temp.remove();
});

async function connect(channel: string): Promise<RecordingClient> {
  const [address] = started?.sink.boundAddresses(channel) ?? [];
  const client = await connectRecording(targetOf(address as string));
  clients.push(client);
  await waitFor(() => client.bytes().length > 0, `greetings on ${channel}`);
  return client;
}

const isOpen = (client: RecordingClient) => !client.socket.destroyed && client.socket.readyState === 'open';

describe('reload', () => {
  it('keeps the clients of an unchanged listener, closes a dropped channel and binds an added one', async () => {
    const flows = { bind_address: `unix://${temp.path}/flows.sock` };
    started = await startSocketSink({ channels: { flows, stats: { bind_address: 'tcp://127.0.0.1:0' } } }, temp.path);
    const stayer = await connect('flows');
    const leaver = await connect('stats');
    started.sink.dispatch('flows', jsonPayload('flow', flowMessage(0, 1)));

    await started.sink.reload({ channels: { flows, status: { bind_address: 'tcp://127.0.0.1:0' } } });

    await leaver.closed;
    expect(started.sink.channels()).toEqual(['flows', 'status']);
    expect(started.sink.dispatch('flows', jsonPayload('flow', flowMessage(1, 1)))).toBe(true);
    expect(started.sink.dispatch('stats', jsonPayload('agent_status', status))).toBe(false);
    await waitFor(() => readNetifydFrames(stayer.bytes()).frames.length === 4, 'the message sent after the reload');
    expect(isOpen(stayer)).toBe(true);
    expect(netifydMessages(stayer.bytes())).toEqual([hello, status, flowMessage(0, 1), flowMessage(1, 1)]);
    const newcomer = await connect('status');
    expect(netifydMessages(newcomer.bytes())).toEqual([hello, status]);
    expect(started.context.messages('info').at(-1)).toBe('reloaded: 1 listener(s) kept with their clients, 1 opened, 1 closed');
  });

  it('restarts a listener whose settings changed, so its new clients get the new framing', async () => {
    const address = `unix://${temp.path}/flows.sock`;
    started = await startSocketSink({ channels: { flows: { bind_address: address } } }, temp.path);
    const before = await connect('flows');

    await started.sink.reload({ channels: { flows: { bind_address: address, framing: 'lines' } } });

    await before.closed;
    const after = await connect('flows');
    started.sink.dispatch('flows', jsonPayload('flow', flowMessage(2, 3)));
    await waitFor(() => after.bytes().toString('utf8').split('\n').length === 4, 'three lines');
    expect(jsonLines(after.bytes())).toEqual([hello, status, flowMessage(2, 3)]);
  });

  it('refuses an invalid config before changing anything', async () => {
    started = await startSocketSink({ channels: { flows: { bind_address: 'tcp://127.0.0.1:0' } } }, temp.path);
    const client = await connect('flows');
    const [address] = started.sink.boundAddresses('flows');

    await expect(started.sink.reload({ channels: { flows: { bind_address: 'carrier-pigeon://loft' } } })).rejects.toThrow(
      /netify-sink-socket\.json.*bind_address/,
    );

    expect(started.sink.boundAddresses('flows')).toEqual([address]);
    started.sink.dispatch('flows', jsonPayload('flow', flowMessage(4, 5)));
    await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 3, 'the message sent after the refused reload');
    expect(isOpen(client)).toBe(true);
  });

  it('goes on without a new listener that cannot bind, and says which', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      started = await startSocketSink({ channels: { flows: { bind_address: 'tcp://127.0.0.1:0' } } }, temp.path);
      const client = await connect('flows');

      await started.sink.reload({
        channels: { flows: { bind_address: 'tcp://127.0.0.1:0' }, busy: { bind_address: `tcp://127.0.0.1:${taken}` } },
      });

      expect(started.sink.boundAddresses('busy')).toEqual([]);
      expect(started.context.messages('error').join('\n')).toMatch(/channel busy: .*127\.0\.0\.1.*the channel goes on without this listener/);
      expect(started.sink.dispatch('flows', jsonPayload('flow', flowMessage(6, 7)))).toBe(true);
      await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 3, 'the message on the kept channel');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
