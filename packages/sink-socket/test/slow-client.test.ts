// Ensures a client that stops reading is disconnected once it is max_client_queue_kb
// behind, while the agent keeps dispatching without waiting and another client on the
// same channel receives every message.
import { describe, expect, it } from 'vitest';
import { flowMessage, jsonPayload } from '@netifyd/plugin-sdk/testing';
import { connectRecording, nextTurn, readNetifydFrames, targetOf, waitFor, type RecordingClient } from './clients.js';
import { startSocketSink, useSinkTestState } from './harness.js';

const clients: RecordingClient[] = [];
const state = useSinkTestState('sink-socket-slow', () => {
  for (const client of clients.splice(0)) client.socket.destroy();
});

const TOTAL = 4000;

describe.each([
  ['unix', () => `unix://${state.dir}/slow.sock`],
  ['tcp', () => 'tcp://127.0.0.1:0'],
])('%s: a stalled client', (_kind, bindAddress) => {
  it('is dropped while a reading client receives everything', async () => {
    state.started = await startSocketSink({ max_client_queue_kb: 16, channels: { flows: { bind_address: bindAddress() } } }, state.dir);
    const { sink, context } = state.started;
    const target = targetOf(sink.boundAddresses('flows')[0] as string);
    const stalled = await connectRecording(target);
    stalled.socket.pause(); // stops reading: the kernel buffers fill, then ours
    const reader = await connectRecording(target);
    clients.push(stalled, reader);
    await waitFor(() => sink.stats().clients === 2, 'two clients');

    const batchMs: number[] = [];
    for (let sequence = 0; sequence < TOTAL; sequence += 20) {
      const began = performance.now();
      for (let index = sequence; index < sequence + 20; index++) {
        expect(sink.dispatch('flows', jsonPayload('flow', flowMessage(index, 900)))).toBe(true);
      }
      batchMs.push(performance.now() - began);
      await nextTurn(); // let the event loop move bytes, as the agent's does between events
    }
    await waitFor(() => sink.stats().clients_dropped === 1, 'the stalled client to be dropped');
    stalled.socket.resume(); // read what the kernel still holds, then see the close
    let stalledClosed = false;
    void stalled.closed.then(() => (stalledClosed = true));
    await waitFor(() => stalledClosed, 'the stalled client to see its connection closed');
    await waitFor(() => readNetifydFrames(reader.bytes()).frames.length === TOTAL + 2, 'every frame at the reader');

    const sequences = readNetifydFrames(reader.bytes())
      .frames.slice(2)
      .map((frame) => (JSON.parse(frame.body.toString()) as { flow: { sequence: number } }).flow.sequence);
    expect(sequences).toEqual([...Array(TOTAL).keys()]);
    // The stalled client got the start of the stream, in order, then its connection was closed.
    const early = readNetifydFrames(stalled.bytes()).frames.slice(2);
    const earlySequences = early.map((frame) => (JSON.parse(frame.body.toString()) as { flow: { sequence: number } }).flow.sequence);
    expect(earlySequences.length).toBeGreaterThan(0);
    expect(earlySequences.length).toBeLessThan(TOTAL);
    expect(earlySequences).toEqual([...Array(earlySequences.length).keys()]);
    expect(sink.stats()).toMatchObject({ clients: 1, clients_dropped: 1, dropped: 0, errors: 0 });
    expect(context.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      expect.stringMatching(/^channel flows: disconnecting a client of .*: more than max_client_queue_kb=16 unread$/),
    ]);
    // Dispatching never waits for a client: a batch of 20 typically takes well under a
    // millisecond (the median, so a GC pause on a busy machine does not decide the test).
    const median = [...batchMs].sort((a, b) => a - b)[batchMs.length >> 1] as number;
    expect(median).toBeLessThan(5);
  });
});
