// Ensures udp:// channels send one message per datagram to receivers that subscribed
// by sending any datagram, greetings first, and forget receivers that go quiet.
import { createSocket, type Socket } from 'node:dgram';
import { pack, unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { encodedPayload, flowMessage, jsonPayload } from '@netifyd/plugin-sdk/testing';
import { sleep, targetOf, waitFor } from './clients.js';
import { hello, startSocketSink, status, useSinkTestState } from './harness.js';

const receivers: Socket[] = [];
const state = useSinkTestState('sink-socket-udp', () => {
  for (const receiver of receivers.splice(0)) receiver.close();
});

interface Receiver {
  readonly datagrams: Buffer[];
  subscribe(): Promise<void>;
}

async function receiver(channel = 'flows'): Promise<Receiver> {
  const socket = createSocket('udp4');
  receivers.push(socket);
  const datagrams: Buffer[] = [];
  socket.on('message', (message) => datagrams.push(message));
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, resolve));
  const target = targetOf(state.started?.sink.boundAddresses(channel)[0] as string) as { host: string; port: number };
  return {
    datagrams,
    subscribe: () => new Promise<void>((resolve, reject) => socket.send('subscribe', target.port, target.host, (error) => (error ? reject(error) : resolve()))),
  };
}

describe('udp channel', () => {
  it('a receiver that sends a datagram gets the greetings, then one JSON message per datagram', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'udp://127.0.0.1:0' } } }, state.dir);
    const client = await receiver();
    await client.subscribe();
    await waitFor(() => client.datagrams.length === 2, 'greetings');
    await client.subscribe(); // renewing does not repeat the greetings
    await waitFor(() => state.started?.sink.stats().clients === 1, 'subscription');
    await sleep(20);
    for (let sequence = 0; sequence < 20; sequence++) state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(sequence)));
    await waitFor(() => client.datagrams.length === 22, '22 datagrams');
    expect(client.datagrams.map((datagram) => JSON.parse(datagram.toString()))).toEqual([
      hello,
      status,
      ...Array.from({ length: 20 }, (_, sequence) => flowMessage(sequence)),
    ]);
    expect(state.started.greetingCalls).toEqual(['flows']);
    expect(state.started.sink.stats()).toMatchObject({ clients: 1, sent: 22, dropped: 0 });
  });

  it('msgpack messages are sent as binary datagrams that decode on their own', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'udp://127.0.0.1:0' } } }, state.dir, { greetings: () => [] });
    const client = await receiver();
    await client.subscribe();
    await waitFor(() => state.started?.sink.stats().clients === 1, 'subscription');
    state.started.sink.dispatch('flows', encodedPayload('flow', 'msgpack', pack(flowMessage(3))));
    await waitFor(() => client.datagrams.length === 1, 'a datagram');
    expect(unpack(client.datagrams[0] as Buffer)).toEqual(flowMessage(3));
  });

  it('several receivers each get every message; a quiet one expires after udp_client_ttl_s', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'udp://127.0.0.1:0', udp_client_ttl_s: 0.6 } } }, state.dir, {
      greetings: () => [],
    });
    const quiet = await receiver();
    const chatty = await receiver();
    await quiet.subscribe();
    await chatty.subscribe();
    await waitFor(() => state.started?.sink.stats().clients === 2, 'two subscribers');
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(1)));
    await waitFor(() => quiet.datagrams.length === 1 && chatty.datagrams.length === 1, 'both receive');
    // Sleeps only ever run long: quiet is always past its TTL, chatty (renewed halfway) never is.
    await sleep(350);
    await chatty.subscribe();
    await sleep(350);
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(2)));
    await waitFor(() => chatty.datagrams.length === 2, 'the renewed receiver');
    await sleep(50);
    expect(quiet.datagrams).toHaveLength(1);
    expect(state.started.sink.stats().clients).toBe(1);
  });

  it('a message too large for one datagram is dropped and counted, once logged', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'udp://127.0.0.1:0' } } }, state.dir, { greetings: () => [] });
    const client = await receiver();
    await client.subscribe();
    await waitFor(() => state.started?.sink.stats().clients === 1, 'subscription');
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(1, 70_000)));
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(2, 70_000)));
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(3)));
    await waitFor(() => client.datagrams.length === 1, 'the small message');
    expect(JSON.parse((client.datagrams[0] as Buffer).toString())).toEqual(flowMessage(3));
    expect(state.started.sink.stats()).toMatchObject({ dropped: 2, sent: 1 });
    expect(state.started.context.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
  });
});
