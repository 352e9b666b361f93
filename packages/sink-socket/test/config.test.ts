// Ensures sink-socket accepts every config Netify's v5 schema accepts, parses
// bind_address as documented (defaults: host 127.0.0.1, default_port, then 7150),
// maps netifyd.conf's older [socket] section, and rejects bad input with one clear error.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNetifydError } from '@netifyd/plugin-sdk';
import { createTestContext, flowMessage, jsonPayload } from '@netifyd/plugin-sdk/testing';
import factory, { channelsFromSocketSection, parseBindAddress } from '../src/index.js';
import { connectRecording, netifydMessages, readNetifydFrames, targetOf, waitFor } from './clients.js';
import { hello, sampleConfig, startSocketSink, status, useSinkTestState } from './harness.js';

const state = useSinkTestState('sink-socket-config');

async function initError(config: unknown): Promise<unknown> {
  const sink = factory.create(createTestContext({ name: 'sink-socket', configFile: 'netify-sink-socket.json', paths: { persistent: state.dir, volatile: state.dir } }));
  return sink.init(config).then(
    () => expect.fail('init should have rejected'),
    (error: unknown) => error,
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('bind_address', () => {
  it.each([
    ['unix:///var/run/netifyd/netifyd.sock', { scheme: 'unix', path: '/var/run/netifyd/netifyd.sock' }],
    ['tcp://127.0.0.1:8080', { scheme: 'tcp', host: '127.0.0.1', port: 8080 }],
    ['udp://0.0.0.0:9000', { scheme: 'udp', host: '0.0.0.0', port: 9000 }],
    ['ws://192.168.1.1:80', { scheme: 'ws', host: '192.168.1.1', port: 80 }],
    ['ws://localhost:8080/', { scheme: 'ws', host: 'localhost', port: 8080 }],
    ['tcp://[::1]:7150', { scheme: 'tcp', host: '::1', port: 7150 }],
    ['tcp://[::1]', { scheme: 'tcp', host: '::1', port: 9999 }],
    ['tcp://:8080', { scheme: 'tcp', host: '127.0.0.1', port: 8080 }],
    ['tcp://8080', { scheme: 'tcp', host: '127.0.0.1', port: 8080 }],
    ['tcp://localhost', { scheme: 'tcp', host: 'localhost', port: 9999 }],
    ['wss://example.test:443', { scheme: 'wss', host: 'example.test', port: 443 }],
  ])('%s', (text, address) => {
    expect(parseBindAddress(text, 9999)).toEqual({ ok: true, address });
  });

  it.each([
    ['unix://relative.sock', 'unix:// followed by an absolute socket file path'],
    ['tcp://127.0.0.1:70000', 'tcp://HOST:PORT with a port from 0 to 65535'],
    ['tcp://127.0.0.1:http', 'tcp://HOST:PORT'],
    ['ftp://host:21', 'unix://PATH, tcp://HOST:PORT'],
  ])('%s is refused', (text, expected) => {
    const parsed = parseBindAddress(text, 7150);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.expected).toContain(expected);
  });
});

describe('sink-socket config', () => {
  it('declares itself as a sink plugin for the current ABI with the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(factory).toMatchObject({ kind: 'sink', name: 'sink-socket', version: pkg.version });
  });

  it('loads the sample etc/netify-sink-socket.json (socket path pointed at a temp dir)', async () => {
    const sample = await sampleConfig();
    const channels = sample.channels as Record<string, { bind_address: string }>;
    const path = join(state.dir, 'netifyd.sock');
    (channels.flows as { bind_address: string }).bind_address = `unix://${path}`;
    state.started = await startSocketSink(sample, state.dir);
    expect(state.started.sink.channels()).toEqual(['flows']);
    expect(state.started.sink.boundAddresses('flows')).toEqual([`unix://${path}`]);
    expect(state.started.context.lines.filter((line) => line.level !== 'info')).toEqual([]);
  });

  it("accepts Netify's example channels unchanged and a missing port takes default_port", async () => {
    const port = await freePort();
    const path = join(state.dir, 'flows.sock');
    const config = {
      default_port: port,
      channels: { flows: { enable: true, bind_address: `unix://${path}` }, aggregator: { enable: true, bind_address: 'tcp://127.0.0.1' } },
    };
    state.started = await startSocketSink(config, state.dir);
    expect(state.started.sink.boundAddresses('aggregator')).toEqual([`tcp://127.0.0.1:${port}`]);
    const client = await connectRecording({ host: '127.0.0.1', port });
    state.started.sink.dispatch('aggregator', jsonPayload('flow', flowMessage(1)));
    await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 3, '3 frames');
    client.socket.destroy();
  });

  it('a TCP address without a host listens on 127.0.0.1 only', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'tcp://:0' } } }, state.dir);
    expect(state.started.sink.boundAddresses('flows')[0]).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a channel without bind_address is a config error naming the key', async () => {
    const error = await initError({ channels: { flows: { enable: true } } });
    expect(isNetifydError(error) && error.code).toBe('ERR_PLUGIN_CONFIG');
    expect((error as Error).message).toBe('netify-sink-socket.json: /channels/flows/bind_address is required');
  });

  it('an unsupported scheme is refused by the schema with the value', async () => {
    const error = await initError({ channels: { flows: { bind_address: 'http://127.0.0.1:80' } } });
    expect(isNetifydError(error) && error.code).toBe('ERR_PLUGIN_CONFIG');
    expect((error as Error).message).toContain('/channels/flows/bind_address must match pattern');
    expect((error as Error).message).toContain('(got "http://127.0.0.1:80")');
  });

  it('a bad port is a config error that says what was expected', async () => {
    const error = await initError({ channels: { flows: { bind_address: 'tcp://127.0.0.1:99999' } } });
    expect(isNetifydError(error) && error.code).toBe('ERR_PLUGIN_CONFIG');
    expect((error as Error).message).toBe(
      'netify-sink-socket.json: /channels/flows/bind_address must be tcp://HOST:PORT with a port from 0 to 65535, e.g. tcp://127.0.0.1:7150 (got "tcp://127.0.0.1:99999")',
    );
  });

  it('a mode that is not octal is a config error', async () => {
    const error = await initError({ channels: { flows: { bind_address: 'unix:///tmp/x.sock', mode: '0999' } } });
    expect(isNetifydError(error) && error.code).toBe('ERR_PLUGIN_CONFIG');
    expect((error as Error).message).toContain('/channels/flows/mode must match pattern');
  });

  it('wss:// without tls_cert_file/tls_key_file fails start with ERR_SINK_SOCKET_TLS', async () => {
    const error = await startSocketSink({ channels: { secure: { bind_address: 'wss://127.0.0.1:0' } } }, state.dir).then(
      () => expect.fail('start should have rejected'),
      (caught: unknown) => caught,
    );
    expect(isNetifydError(error) && error.code).toBe('ERR_SINK_SOCKET_TLS');
    expect((error as Error).message).toBe(
      'netify-sink-socket.json: /channels/secure/bind_address "wss://127.0.0.1:0": wss:// needs tls_cert_file and tls_key_file (PEM files) in the channel or at the top level',
    );
  });
});

describe("netifyd.conf's older [socket] section", () => {
  it('maps listen_path[N] and listen_address[N]/listen_port[N] (default 7150), stopping at a gap', () => {
    expect(
      channelsFromSocketSection({
        'listen_path[0]': '/var/run/netifyd/netifyd.sock',
        'listen_path[1]': '/tmp/second.sock',
        'listen_path[3]': '/tmp/after-a-gap.sock',
        'listen_address[0]': '127.0.0.1',
        'listen_address[1]': '::1',
        'listen_port[1]': '7151',
        dump_established_flows: 'yes',
      }),
    ).toEqual({
      'legacy-socket': [
        'unix:///var/run/netifyd/netifyd.sock',
        'unix:///tmp/second.sock',
        'tcp://127.0.0.1:7150',
        'tcp://[::1]:7151',
      ],
    });
    expect(channelsFromSocketSection({ dump_unknown_flows: 'no' })).toEqual({});
    expect(channelsFromSocketSection(undefined)).toEqual({});
  });

  it('serves the [socket] listeners as channel legacy-socket when the JSON config has no channels, with one deprecation line', async () => {
    const path = join(state.dir, 'legacy.sock');
    const port = await freePort();
    state.started = await startSocketSink({}, state.dir, {
      agentConfig: { socket: { 'listen_path[0]': path, 'listen_address[0]': '127.0.0.1', 'listen_port[0]': String(port) } },
    });
    expect(state.started.sink.channels()).toEqual(['legacy-socket']);
    expect(state.started.sink.boundAddresses('legacy-socket')).toEqual([`unix://${path}`, `tcp://127.0.0.1:${port}`]);
    expect(state.started.context.lines.filter((line) => line.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: `netifyd.conf [socket] is deprecated: serving unix://${path}, tcp://127.0.0.1:${port} as sink-socket channel "legacy-socket"; move these listeners to channels in netify-sink-socket.json`,
      },
    ]);
    const viaUnix = await connectRecording({ path });
    const viaTcp = await connectRecording(targetOf(`tcp://127.0.0.1:${port}`));
    await waitFor(() => state.started?.sink.stats().clients === 2, 'two clients');
    state.started.sink.dispatch('legacy-socket', jsonPayload('flow', flowMessage(5)));
    await waitFor(() => readNetifydFrames(viaUnix.bytes()).frames.length === 3 && readNetifydFrames(viaTcp.bytes()).frames.length === 3, 'both');
    expect(netifydMessages(viaUnix.bytes())).toEqual([hello, status, flowMessage(5)]);
    expect(netifydMessages(viaTcp.bytes())).toEqual([hello, status, flowMessage(5)]);
    viaUnix.socket.destroy();
    viaTcp.socket.destroy();
  });

  it('is ignored when the JSON config has channels', async () => {
    state.started = await startSocketSink({ channels: { flows: { bind_address: 'tcp://127.0.0.1:0' } } }, state.dir, {
      agentConfig: { socket: { 'listen_path[0]': join(state.dir, 'ignored.sock') } },
    });
    expect(state.started.sink.channels()).toEqual(['flows']);
    expect(state.started.context.lines.filter((line) => line.level === 'warn')).toEqual([]);
  });

  it('no channels and no [socket] section: a warning, nothing bound', async () => {
    state.started = await startSocketSink({}, state.dir);
    expect(state.started.sink.channels()).toEqual([]);
    expect(state.started.context.lines).toContainEqual({ level: 'warn', message: 'netify-sink-socket.json: no enabled channels; nothing will be served' });
  });
});
