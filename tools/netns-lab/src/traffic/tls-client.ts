#!/usr/bin/env node
/**
 * HTTPS client with SNI and full certificate verification against --ca.
 * Usage: tls-client.js --connect ADDR [--port 443] --servername NAME --ca PEM
 *        [--tls-version TLSv1.2|TLSv1.3] [--request-bytes N] [--response-bytes N]
 *        [--user-agent UA] [--timeout-ms N]
 * POSTs N filler bytes to /bytes/M (GET when N is 0) with Host: NAME.
 * RESULT {"status","tlsProtocol","servername","authorized","cipher","alpnProtocol","bytesSent","bytesReceived"}
 */
import { readFileSync } from 'node:fs';
import { Agent, request, type RequestOptions } from 'node:https';
import type { ConnectionOptions, SecureVersion, TLSSocket } from 'node:tls';
import { exchange } from './http-exchange.js';
import {
  fail,
  failExchange,
  integerOption,
  optionalString,
  parseScriptArgs,
  portOption,
  printResult,
  requiredString,
} from './script-io.js';

const TLS_VERSIONS: readonly string[] = ['TLSv1.2', 'TLSv1.3'];

const values = parseScriptArgs('tls-client', {
  connect: { type: 'string' },
  port: { type: 'string' },
  servername: { type: 'string' },
  ca: { type: 'string' },
  'tls-version': { type: 'string' },
  'request-bytes': { type: 'string' },
  'response-bytes': { type: 'string' },
  'user-agent': { type: 'string' },
  'timeout-ms': { type: 'string' },
});
const address = requiredString(values, 'connect');
const port = portOption(values, 'port', 443);
const servername = requiredString(values, 'servername');
const caPath = requiredString(values, 'ca');
const version = optionalString(values, 'tls-version', '');
if (version !== '' && !TLS_VERSIONS.includes(version)) {
  fail(2, `--tls-version must be TLSv1.2 or TLSv1.3 (got ${JSON.stringify(version)})`);
}
const requestBytes = integerOption(values, 'request-bytes', 0, 0, 16 * 1024 * 1024);
const responseBytes = integerOption(values, 'response-bytes', 1024, 0, 16 * 1024 * 1024);
const userAgent = optionalString(values, 'user-agent', 'netns-lab/1.0');
const timeoutMs = integerOption(values, 'timeout-ms', 5_000, 1, 60_000);

let ca: Buffer;
try {
  ca = readFileSync(caPath);
} catch (error) {
  fail(2, `--ca ${caPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
}

// https.RequestOptions lacks ALPNProtocols in @types/node, but the agent hands every option to tls.connect.
const options: RequestOptions & Pick<ConnectionOptions, 'ALPNProtocols'> = {
  host: address,
  port,
  servername,
  ca,
  ALPNProtocols: ['http/1.1'],
  ...(version ? { minVersion: version as SecureVersion, maxVersion: version as SecureVersion } : {}),
  method: requestBytes > 0 ? 'POST' : 'GET',
  path: `/bytes/${responseBytes}`,
  headers: { Host: servername, 'User-Agent': userAgent, 'Content-Length': requestBytes },
  agent: new Agent({ keepAlive: true, maxSockets: 1 }),
  timeout: timeoutMs,
};
const req = request(options);

// Read the session details at handshake time: after the client's close they are gone.
let session: { tlsProtocol: string | null; authorized: boolean; cipher: string; alpnProtocol: string | null } | undefined;
req.on('socket', (socket) => {
  socket.once('secureConnect', () => {
    const tls = socket as TLSSocket;
    session = {
      tlsProtocol: tls.getProtocol(),
      authorized: tls.authorized,
      cipher: tls.getCipher().name,
      alpnProtocol: tls.alpnProtocol || null,
    };
  });
});

exchange(req, requestBytes)
  .then(({ response, bytesReceived }) => {
    printResult({ status: response.statusCode, servername, ...session, bytesSent: requestBytes, bytesReceived });
  })
  .catch((error: unknown) => failExchange(`TLS connection to ${address}:${port} (SNI ${servername})`, error));
