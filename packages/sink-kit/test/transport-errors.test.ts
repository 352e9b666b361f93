// Ensures real socket and TLS failures become one short line naming the cause (and, for
// TLS trust, the fix), found also through a wrapping `cause`, with the peer named.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect as netConnect, createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDir } from '@netifyd/plugin-sdk/testing';
import type { TempDir } from '@netifyd/plugin-sdk/testing';
import { describeTransportError, isTlsTrustError, transportErrorCode } from '../src/index.js';

let temp: TempDir;
const servers: Server[] = [];
beforeEach(async () => {
  temp = await createTempDir('sink-kit-errors');
});
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  await temp.remove();
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** The error a client socket to 127.0.0.1:port ends with. */
function socketError(connect: (port: number) => NodeJS.EventEmitter, port: number): Promise<Error> {
  return new Promise((resolve, reject) => {
    const socket = connect(port);
    socket.once('error', resolve);
    socket.once('close', () => reject(new Error('closed without an error')));
  });
}

async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('describeTransportError', () => {
  it('a refused connection, directly and wrapped in a cause', async () => {
    const error = await socketError((port) => netConnect(port, '127.0.0.1'), await closedPort());
    expect(describeTransportError(error, { peer: 'broker' })).toEqual({ text: 'connection refused (ECONNREFUSED)', configuration: false });
    const wrapped = new Error('fetch failed', { cause: error });
    expect(transportErrorCode(wrapped)).toBe('ECONNREFUSED');
    expect(describeTransportError(wrapped, { peer: 'collector' }).text).toBe('connection refused (ECONNREFUSED)');
  });

  it('a connection reset by the peer names the peer', async () => {
    const port = await listen(createNetServer((socket) => socket.resetAndDestroy()));
    const error = await socketError((p) => netConnect(p, '127.0.0.1'), port);
    expect(describeTransportError(error, { peer: 'collector' }).text).toBe('connection reset by the collector (ECONNRESET)');
  });

  it('an untrusted self-signed certificate is a configuration problem that names ca_file', async () => {
    const key = join(temp.path, 'key.pem');
    const cert = join(temp.path, 'cert.pem');
    await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost']);
    const port = await listen(createTlsServer({ key: await readFile(key), cert: await readFile(cert) }, (socket) => socket.end()));
    const error = await socketError((p) => tlsConnect({ port: p, host: '127.0.0.1', servername: 'localhost' }), port);
    expect(isTlsTrustError(error)).toBe(true);
    expect(describeTransportError(error, { peer: 'broker' })).toEqual({
      text: "TLS certificate not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); set ca_file to the CA that signed the broker's certificate",
      configuration: true,
    });
  });

  it('a transport’s own codes use its words; unknown ones keep message and code; no code keeps the message', () => {
    const own = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(describeTransportError(own, { peer: 'collector', reasons: { UND_ERR_SOCKET: 'connection closed by the {peer}' } }).text).toBe(
      'connection closed by the collector (UND_ERR_SOCKET)',
    );
    expect(describeTransportError(own, { peer: 'collector' }).text).toBe('other side closed (UND_ERR_SOCKET)');
    expect(describeTransportError(new Error('boom'), { peer: 'broker' })).toEqual({ text: 'boom', configuration: false });
    expect(describeTransportError('text', { peer: 'broker' }).text).toBe('text');
    expect(isTlsTrustError(own)).toBe(false);
  });
});
