// Ensures unix:// and tcp:// channels serve what netifyd consumers expect: greetings
// first, then every message in order, with netifyd's length framing (parsed both by
// length readers and by line readers such as jq), plain lines, msgpack and gzip framing.
import { spawn } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import type { Payload } from '@netifyd/plugin-sdk';
import { encodedPayload, flowMessage, jsonPayload } from '@netifyd/plugin-sdk/testing';
import {
  connectRecording,
  jsonLines,
  msgpackFrames,
  netifydMessages,
  readNetifydFrames,
  targetOf,
  waitFor,
  type RecordingClient,
} from './clients.js';
import { hello, startSocketSink, status, useSinkTestState } from './harness.js';

const clients: RecordingClient[] = [];
const state = useSinkTestState('sink-socket-stream', () => {
  for (const client of clients.splice(0)) client.socket.destroy();
});

const flows = (count: number) => Array.from({ length: count }, (_, sequence) => flowMessage(sequence, sequence % 7));

async function connect(channel = 'flows'): Promise<RecordingClient> {
  const [address] = state.started?.sink.boundAddresses(channel) ?? [];
  const client = await connectRecording(targetOf(address as string));
  clients.push(client);
  // The greetings are written as the connection is accepted; wait until they arrive.
  await waitFor(() => client.bytes().length > 0, 'greetings');
  return client;
}

describe.each([
  ['unix', () => `unix://${state.dir}/run/netifyd.sock`],
  ['tcp', () => 'tcp://127.0.0.1:0'],
])('%s channel, netifyd framing', (_kind, bindAddress) => {
  it('a length-reading client gets agent_hello, agent_status, then every message in order', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: bindAddress() } } }, state.dir);
    const client = await connect();
    for (const message of flows(50)) expect(state.started.sink.dispatch('flows', jsonPayload('flow', message))).toBe(true);
    await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 52, '52 frames');
    const received = netifydMessages(client.bytes());
    expect(received).toEqual([hello, status, ...flows(50)]);
    // N counts the message bytes plus the trailing newline.
    for (const frame of readNetifydFrames(client.bytes()).frames) expect(frame.length).toBe(frame.body.length);
    const helloJson = JSON.stringify(hello);
    expect(client.bytes().toString().startsWith(`{"length":${helloJson.length + 1}}\n${helloJson}\n{"length":`)).toBe(true);
    expect(state.started.greetingCalls).toEqual(['flows']);
    expect(state.started.sink.stats()).toMatchObject({ clients: 1, sent: 52, dropped: 0, errors: 0, clients_dropped: 0 });
  });

  it('a line-reading client (nc | jq style) parses every line as JSON', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: bindAddress() } } }, state.dir);
    const client = await connect();
    for (const message of flows(20)) state.started.sink.dispatch('flows', jsonPayload('flow', message));
    await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 22, '22 frames');
    const lines = jsonLines(client.bytes());
    expect(lines).toHaveLength(44);
    expect(lines.filter((_, index) => index % 2 === 1)).toEqual([hello, status, ...flows(20)]);
    expect(lines.filter((_, index) => index % 2 === 0).every((line) => Object.keys(line).join() === 'length')).toBe(true);
  });
});

describe('stream channels', () => {
  it('real jq reading the socket stream parses every header and message', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: `unix://${state.dir}/jq.sock` } } }, state.dir);
    const client = await connect();
    for (const message of flows(30)) state.started.sink.dispatch('flows', jsonPayload('flow', message));
    await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 32, '32 frames');
    const jq = spawn('jq', ['-c', '.type // "header"'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    jq.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    jq.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => jq.once('close', resolve));
    jq.stdin.end(client.bytes());
    expect(await exited).toBe(0);
    expect(errors).toBe('');
    const types = output.trim().split('\n').map((line) => JSON.parse(line) as string);
    expect(types).toEqual(['header', 'agent_hello', 'header', 'agent_status', ...Array(30).fill(['header', 'flow']).flat()]);
  });

  it('framing "lines" sends one JSON message per line and nothing else', async () => {
    state.started = await startSocketSink({ framing: 'lines', channels: { flows: { bind_address: `unix://${state.dir}/lines.sock` } } }, state.dir);
    const client = await connect();
    for (const message of flows(10)) state.started.sink.dispatch('flows', jsonPayload('flow', message));
    await waitFor(() => client.bytes().toString().split('\n').length === 13, '12 lines');
    expect(jsonLines(client.bytes())).toEqual([hello, status, ...flows(10)]);
  });

  it('msgpack: a msgpack map {length: N} then N bytes of msgpack, no newlines', async () => {
    const msgpackGreetings = () => [encodedPayload('agent_hello', 'msgpack', pack(hello))];
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'tcp://127.0.0.1:0' } } }, state.dir, { greetings: msgpackGreetings });
    const client = await connect();
    for (const message of flows(10)) state.started.sink.dispatch('flows', encodedPayload('flow', 'msgpack', pack(message)));
    let frames: ReturnType<typeof msgpackFrames> = [];
    await waitFor(() => {
      try {
        frames = msgpackFrames(client.bytes());
        return frames.length === 11;
      } catch {
        return false; // a value is still arriving
      }
    }, '11 msgpack frames');
    expect(frames.map((frame) => frame.value)).toEqual([hello, ...flows(10)]);
    for (const frame of frames) expect(frame.header).toEqual({ length: frame.valueBytes });
  });

  it('gzip, netifyd framing: the header stays plain and N counts the compressed bytes', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: `unix://${state.dir}/gz.sock` } } }, state.dir, {
      greetings: () => [jsonPayload('agent_hello', hello, { compressor: 'gz' })],
    });
    const client = await connect();
    for (const message of flows(10)) state.started.sink.dispatch('flows', jsonPayload('flow', message, { compressor: 'gz' }));
    await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 11, '11 frames');
    const { frames, used } = readNetifydFrames(client.bytes());
    expect(used).toBe(client.bytes().length);
    expect(frames.map((frame) => JSON.parse(gunzipSync(frame.body).toString()))).toEqual([hello, ...flows(10)]);
  });

  it('gzip, lines framing: the whole stream gunzips to JSON lines', async () => {
    state.started = await startSocketSink({ channels: { flows: { framing: 'lines', bind_address: 'tcp://127.0.0.1:0' } } }, state.dir, {
      greetings: () => [jsonPayload('agent_hello', hello, { compressor: 'gz' })],
    });
    const client = await connect();
    for (const message of flows(10)) state.started.sink.dispatch('flows', jsonPayload('flow', message, { compressor: 'gz' }));
    await waitFor(() => {
      try {
        return gunzipSync(client.bytes()).toString().split('\n').length === 12;
      } catch {
        return false;
      }
    }, 'a gzip stream of 11 lines');
    expect(jsonLines(gunzipSync(client.bytes()))).toEqual([hello, ...flows(10)]);
  });

  it('several clients each get their own greetings and the same messages', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'tcp://127.0.0.1:0' } } }, state.dir);
    const first = await connect();
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(1)));
    const second = await connect();
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(2)));
    await waitFor(() => readNetifydFrames(first.bytes()).frames.length === 4 && readNetifydFrames(second.bytes()).frames.length === 3, 'both clients');
    expect(netifydMessages(first.bytes())).toEqual([hello, status, flowMessage(1), flowMessage(2)]);
    expect(netifydMessages(second.bytes())).toEqual([hello, status, flowMessage(2)]);
    expect(state.started.greetingCalls).toEqual(['flows', 'flows']);
    expect(state.started.sink.stats().clients).toBe(2);
  });

  it('a client that closes its sending side at once (nc < /dev/null) still receives', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: `unix://${state.dir}/half.sock` } } }, state.dir);
    const client = await connect();
    client.socket.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(9)));
    await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 3, '3 frames');
    expect(netifydMessages(client.bytes()).at(-1)).toEqual(flowMessage(9));
  });

  it('a malformed payload is refused and counted, never thrown, and clients stay connected', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'tcp://127.0.0.1:0' } } }, state.dir);
    const client = await connect();
    const broken = { message: 'flow', types: ['stream-flows'], format: 'json', compressor: 'none' } as unknown as Payload;
    expect(state.started.sink.dispatch('flows', broken)).toBe(false);
    expect(state.started.sink.dispatch('flows', broken)).toBe(false);
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(1)));
    await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 3, '3 frames');
    expect(netifydMessages(client.bytes())).toEqual([hello, status, flowMessage(1)]);
    expect(state.started.sink.stats()).toMatchObject({ errors: 2, clients: 1 });
    expect(state.started.context.lines.filter((line) => line.level === 'error')).toHaveLength(1);
  });

  it('a client that disconnects is forgotten without an error', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'tcp://127.0.0.1:0' } } }, state.dir);
    const { sink } = state.started;
    const client = await connect();
    client.socket.destroy();
    await client.closed;
    for (let attempt = 0; attempt < 50 && sink.stats().clients > 0; attempt++) {
      sink.dispatch('flows', jsonPayload('flow', flowMessage(attempt)));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(sink.stats()).toMatchObject({ clients: 0, errors: 0 });
  });
});
