#!/usr/bin/env node
/**
 * Sends --count datagrams of --size filler bytes, one at a time, each waiting for its echo.
 * Usage: udp-client.js --connect ADDR --port N [--count 4] [--size 300] [--timeout-ms N]
 * RESULT {"sent","echoed","bytesSent","bytesReceived"}
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import {
  exitAfter,
  fail,
  failExchange,
  fillerBytes,
  integerOption,
  parseScriptArgs,
  portOption,
  printResult,
  requiredString,
} from './script-io.js';

const values = parseScriptArgs('udp-client', {
  connect: { type: 'string' },
  port: { type: 'string' },
  count: { type: 'string' },
  size: { type: 'string' },
  'timeout-ms': { type: 'string' },
});
const address = requiredString(values, 'connect');
const port = portOption(values);
const count = integerOption(values, 'count', 4, 1, 1_000);
const size = integerOption(values, 'size', 300, 1, 65_000);
const timeoutMs = integerOption(values, 'timeout-ms', 5_000, 1, 60_000);
if (isIP(address) === 0) fail(2, `--connect must be an IP address (got ${JSON.stringify(address)})`);

const payload = fillerBytes(size);
const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
const timer = exitAfter(timeoutMs, `UDP echo from ${address}:${port}`);
let sent = 0;
let echoed = 0;
let bytesReceived = 0;

socket.on('error', (error) => failExchange(`UDP to ${address}:${port}`, error));
socket.on('message', (datagram) => {
  echoed += 1;
  bytesReceived += datagram.length;
  if (sent < count) {
    sendNext();
    return;
  }
  clearTimeout(timer);
  socket.close();
  printResult({ sent, echoed, bytesSent: sent * size, bytesReceived });
});
sendNext();

function sendNext(): void {
  sent += 1;
  socket.send(payload, port, address);
}
