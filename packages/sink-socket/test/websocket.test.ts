// Ensures ws:// and wss:// channels send one message per WebSocket message (text for
// JSON, binary for msgpack/gzip), greetings first, drop a stalled client without
// holding up others, refuse foreign browser origins, and verify TLS with a real cert.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pack, unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { encodedPayload, flowMessage, jsonPayload } from '@netifyd/plugin-sdk/testing';
import WebSocket from 'ws';
import { nextTurn, waitFor } from './clients.js';
import { hello, startSocketSink, status, useSinkTestState } from './harness.js';

const sockets: WebSocket[] = [];
const state = useSinkTestState('sink-socket-ws', () => {
  for (const socket of sockets.splice(0)) socket.terminate();
});

interface WsClient {
  readonly socket: WebSocket;
  readonly messages: { data: Buffer; binary: boolean }[];
}

async function connectWs(url: string, options: WebSocket.ClientOptions = {}): Promise<WsClient> {
  const socket = new WebSocket(url, options);
  sockets.push(socket);
  const messages: { data: Buffer; binary: boolean }[] = [];
  socket.on('message', (data: Buffer, binary: boolean) => messages.push({ data, binary }));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
  return { socket, messages };
}

const url = () => state.started?.sink.boundAddresses('live')[0] as string;

describe('ws channel', () => {
  it('a client gets the greetings, then one text message per JSON message, in order', async () => {
    state.started = await startSocketSink({ channels: { live: { bind_address: 'ws://127.0.0.1:0' } } }, state.dir);
    const client = await connectWs(url());
    await waitFor(() => client.messages.length === 2, 'greetings');
    for (let sequence = 0; sequence < 20; sequence++) state.started.sink.dispatch('live', jsonPayload('flow', flowMessage(sequence)));
    await waitFor(() => client.messages.length === 22, '22 messages');
    expect(client.messages.every((message) => !message.binary)).toBe(true);
    expect(client.messages.map((message) => JSON.parse(message.data.toString()))).toEqual([
      hello,
      status,
      ...Array.from({ length: 20 }, (_, sequence) => flowMessage(sequence)),
    ]);
    expect(state.started.sink.stats()).toMatchObject({ clients: 1, sent: 22 });
  });

  it('msgpack and gzip messages are binary WebSocket messages', async () => {
    state.started = await startSocketSink({ channels: { live: { bind_address: 'ws://127.0.0.1:0' } } }, state.dir, { greetings: () => [] });
    const client = await connectWs(url());
    await waitFor(() => state.started?.sink.stats().clients === 1, 'a client');
    state.started.sink.dispatch('live', encodedPayload('flow', 'msgpack', pack(flowMessage(1))));
    state.started.sink.dispatch('live', jsonPayload('flow', flowMessage(2), { compressor: 'gz' }));
    await waitFor(() => client.messages.length === 2, '2 messages');
    expect(client.messages.map((message) => message.binary)).toEqual([true, true]);
    expect(unpack(client.messages[0]?.data as Buffer)).toEqual(flowMessage(1));
    expect(JSON.parse(gunzipSync(client.messages[1]?.data as Buffer).toString())).toEqual(flowMessage(2));
  });

  it('a stalled client is dropped while another receives everything', async () => {
    state.started = await startSocketSink({ max_client_queue_kb: 16, channels: { live: { bind_address: 'ws://127.0.0.1:0' } } }, state.dir);
    const stalled = await connectWs(url());
    stalled.socket.pause();
    const reader = await connectWs(url());
    await waitFor(() => state.started?.sink.stats().clients === 2, 'two clients');
    const total = 4000;
    for (let sequence = 0; sequence < total; sequence += 20) {
      for (let index = sequence; index < sequence + 20; index++) state.started.sink.dispatch('live', jsonPayload('flow', flowMessage(index, 900)));
      await nextTurn();
    }
    await waitFor(() => reader.messages.length === total + 2, 'every message at the reader');
    expect(reader.messages.slice(2).map((message) => (JSON.parse(message.data.toString()) as { flow: { sequence: number } }).flow.sequence)).toEqual([
      ...Array(total).keys(),
    ]);
    expect(state.started.sink.stats()).toMatchObject({ clients: 1, clients_dropped: 1 });
  });

  it('refuses a browser page from another origin, allows same-host pages and non-browser clients', async () => {
    state.started = await startSocketSink({ channels: { live: { bind_address: 'ws://127.0.0.1:0' } } }, state.dir);
    const host = new URL(url()).host;
    await expect(connectWs(url(), { origin: 'https://evil.example' })).rejects.toThrow('HTTP 401');
    await connectWs(url(), { origin: `http://${host}` });
    await connectWs(url());
    await waitFor(() => state.started?.sink.stats().clients === 2, 'two clients');
  });

  it('allowed_origins lists the pages that may connect', async () => {
    state.started = await startSocketSink(
      { channels: { live: { bind_address: 'ws://127.0.0.1:0', allowed_origins: ['https://dashboard.example'] } } },
      state.dir,
    );
    await connectWs(url(), { origin: 'https://dashboard.example' });
    await expect(connectWs(url(), { origin: 'https://other.example' })).rejects.toThrow('HTTP 401');
  });

  it('a plain HTTP request gets 426 Upgrade Required', async () => {
    state.started = await startSocketSink({ channels: { live: { bind_address: 'ws://127.0.0.1:0' } } }, state.dir);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(url().replace('ws://', 'http://'), (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(426);
  });
});

describe('wss channel', () => {
  it('serves over TLS with tls_cert_file/tls_key_file; a verifying client receives the stream', async () => {
    const cert = join(state.dir, 'cert.pem');
    const key = join(state.dir, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
    state.started = await startSocketSink(
      { channels: { live: { bind_address: 'wss://127.0.0.1:0', tls_cert_file: cert, tls_key_file: key } } },
      state.dir,
    );
    expect(url()).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    // Verification stays on: without our CA the handshake fails.
    await expect(connectWs(url())).rejects.toThrow(/self.signed|unable to verify/i);
    const client = await connectWs(url(), { ca: await readFile(cert) });
    state.started.sink.dispatch('live', jsonPayload('flow', flowMessage(1)));
    await waitFor(() => client.messages.length === 3, '3 messages');
    expect(client.messages.map((message) => JSON.parse(message.data.toString()))).toEqual([hello, status, flowMessage(1)]);
  });

  it('an unreadable key file fails start naming the key and path', async () => {
    const error = await startSocketSink(
      { channels: { live: { bind_address: 'wss://127.0.0.1:0', tls_cert_file: join(state.dir, 'no-cert.pem'), tls_key_file: join(state.dir, 'no-key.pem') } } },
      state.dir,
    ).then(
      () => expect.fail('start should have rejected'),
      (caught: unknown) => caught as Error & { code: string },
    );
    expect(error.code).toBe('ERR_SINK_SOCKET_TLS');
    expect(error.message).toBe(
      `netify-sink-socket.json: tls_cert_file ${JSON.stringify(join(state.dir, 'no-cert.pem'))} of channel live cannot be read (ENOENT)`,
    );
  });
});
