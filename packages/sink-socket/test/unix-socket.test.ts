// Ensures the Unix socket file is created safely: restrictive mode, parent directory
// created, a stale file from a dead process replaced, a live socket or a non-socket
// file never touched; and that stop() releases the path.
import { spawn } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNetifydError } from '@netifyd/plugin-sdk';
import { flowMessage, jsonPayload } from '@netifyd/plugin-sdk/testing';
import { connectRecording, netifydMessages, readNetifydFrames, waitFor } from './clients.js';
import { hello, startSocketSink, status, useSinkTestState } from './harness.js';

const state = useSinkTestState('sink-socket-unix');

const exists = (path: string) => stat(path).then(() => true, () => false);

async function startError(config: unknown): Promise<unknown> {
  return startSocketSink(config, state.dir).then(
    () => expect.fail('start should have rejected'),
    (error: unknown) => error,
  );
}

/** Leaves a socket file nobody listens on, as a crashed agent does: a child binds it and is SIGKILLed. */
async function leaveStaleSocket(path: string): Promise<void> {
  const script = `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('listening'))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('unix socket file', () => {
  it('is created with mode 0660 by default, in a parent directory created on demand', async () => {
    const path = join(state.dir, 'run', 'netifyd', 'netifyd.sock');
    state.started = await startSocketSink({ channels: { flows: { bind_address: `unix://${path}` } } }, state.dir);
    const info = await stat(path);
    expect(info.isSocket()).toBe(true);
    expect(info.mode & 0o777).toBe(0o660);
    expect(state.started.sink.boundAddresses('flows')).toEqual([`unix://${path}`]);
  });

  it('takes the mode from the "mode" extension key', async () => {
    const path = join(state.dir, 'private.sock');
    state.started = await startSocketSink({ channels: { flows: { bind_address: `unix://${path}`, mode: '0600' } } }, state.dir);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('replaces a stale socket file left by a dead process and serves on it', async () => {
    const path = join(state.dir, 'stale.sock');
    await leaveStaleSocket(path);
    expect((await stat(path)).isSocket()).toBe(true);
    state.started = await startSocketSink({ channels: { flows: { bind_address: `unix://${path}` } } }, state.dir);
    const client = await connectRecording({ path });
    state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(1)));
    await waitFor(() => readNetifydFrames(client.bytes()).frames.length === 3, '3 frames');
    expect(netifydMessages(client.bytes())).toEqual([hello, status, flowMessage(1)]);
    client.socket.destroy();
  });

  it('refuses a socket another process is listening on, and leaves it working', async () => {
    const path = join(state.dir, 'live.sock');
    const other = createServer((socket) => {
      socket.on('error', () => undefined); // our liveness probe hangs up at once
      socket.end('still mine\n');
    });
    await new Promise<void>((resolve) => other.listen(path, resolve));
    try {
      const error = await startError({ channels: { flows: { bind_address: `unix://${path}` } } });
      expect(isNetifydError(error) && error.code).toBe('ERR_SINK_SOCKET_IN_USE');
      expect((error as Error).message).toBe(
        `netify-sink-socket.json: /channels/flows/bind_address ${path}: another process is listening on this socket; stop it or choose another path`,
      );
      const client = await connectRecording({ path });
      await client.closed;
      expect(client.bytes().toString()).toBe('still mine\n');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('refuses a path that holds something other than a socket and does not delete it', async () => {
    const path = join(state.dir, 'important.txt');
    await writeFile(path, 'keep me');
    const error = await startError({ channels: { flows: { bind_address: `unix://${path}` } } });
    expect(isNetifydError(error) && error.code).toBe('ERR_SINK_SOCKET_PATH');
    expect((error as Error).message).toContain(`${path} exists and is not a socket`);
    expect(await exists(path)).toBe(true);
  });

  it('stop() disconnects clients and removes the socket file', async () => {
    const path = join(state.dir, 'stop.sock');
    state.started = await startSocketSink({ channels: { flows: { bind_address: `unix://${path}` } } }, state.dir);
    const client = await connectRecording({ path });
    await waitFor(() => state.started?.sink.stats().clients === 1, 'one client');
    await state.started.sink.stop();
    await client.closed;
    expect(await exists(path)).toBe(false);
    expect(state.started.sink.dispatch('flows', jsonPayload('flow', flowMessage(1)))).toBe(false);
    await state.started.sink.stop();
  });

  it('when a later listener cannot bind, start fails and the earlier ones are released', async () => {
    const path = join(state.dir, 'first.sock');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startError({
        channels: { first: { bind_address: `unix://${path}` }, second: { bind_address: `tcp://127.0.0.1:${port}` } },
      });
      expect(isNetifydError(error) && error.code).toBe('ERR_SINK_SOCKET_BIND');
      expect((error as Error).message).toBe(
        `netify-sink-socket.json: /channels/second/bind_address "tcp://127.0.0.1:${port}" cannot listen: listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
      );
      expect(await exists(path)).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
