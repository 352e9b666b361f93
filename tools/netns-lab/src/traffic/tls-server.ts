#!/usr/bin/env node
/**
 * HTTPS (HTTP/1.1 over TLS 1.2/1.3) server for the lab.
 * Usage: tls-server.js --listen ADDR [--port 443] --cert PEM --key PEM
 * Each handshake is reported as EVENT {"type":"tls","servername","protocol"}; requests as
 * the HTTP server reports them.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { handleRequest } from './http-handler.js';
import { fail, listenPortOption, parseScriptArgs, printEvent, printReady, requiredString } from './script-io.js';

const values = parseScriptArgs('tls-server', {
  listen: { type: 'string' },
  port: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
});
const listen = requiredString(values, 'listen');
const port = listenPortOption(values, 443);
const cert = readPem(requiredString(values, 'cert'), '--cert');
const key = readPem(requiredString(values, 'key'), '--key');

const server = createServer({ cert, key, minVersion: 'TLSv1.2', ALPNProtocols: ['http/1.1'] }, handleRequest);
server.on('secureConnection', (socket: TLSSocket) => {
  const servername = (socket as TLSSocket & { servername?: string | false }).servername;
  printEvent({ type: 'tls', servername: servername || null, protocol: socket.getProtocol(), from: socket.remoteAddress });
});
server.on('tlsClientError', (error) => printEvent({ type: 'tls-error', reason: error.message }));
server.on('error', (error) => fail(1, `tls-server on ${listen}:${port}: ${error.message}`));
server.listen(port, listen, () => {
  printReady({ service: 'tls', listen, port: (server.address() as AddressInfo).port });
});

function readPem(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    fail(2, `${option} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
