#!/usr/bin/env node
/**
 * Reads the server's banner line, answers with its own, waits for the server to close.
 * Usage: banner-client.js --connect ADDR --port N --banner TEXT [--timeout-ms N]
 * RESULT {"serverBanner"}
 */
import { connect } from 'node:net';
import {
  exitAfter,
  failExchange,
  integerOption,
  parseScriptArgs,
  portOption,
  printResult,
  requiredString,
} from './script-io.js';

const values = parseScriptArgs('banner-client', {
  connect: { type: 'string' },
  port: { type: 'string' },
  banner: { type: 'string' },
  'timeout-ms': { type: 'string' },
});
const address = requiredString(values, 'connect');
const port = portOption(values);
const banner = requiredString(values, 'banner');
const timeoutMs = integerOption(values, 'timeout-ms', 5_000, 1, 60_000);

const timer = exitAfter(timeoutMs, `banner exchange with ${address}:${port}`);
const socket = connect({ host: address, port });
let received = '';
let serverBanner: string | undefined;
socket.setEncoding('latin1');
socket.on('error', (error) => failExchange(`banner exchange with ${address}:${port}`, error));
socket.on('data', (chunk: string) => {
  received += chunk;
  const end = received.indexOf('\n');
  if (serverBanner !== undefined || end < 0) return;
  serverBanner = received.slice(0, end).replace(/\r$/, '');
  socket.write(`${banner}\r\n`);
});
socket.on('end', () => {
  clearTimeout(timer);
  socket.end();
  if (serverBanner === undefined) failExchange(`banner exchange with ${address}:${port}`, new Error('closed before a banner line'));
  printResult({ serverBanner });
});
