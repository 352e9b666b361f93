#!/usr/bin/env node
/**
 * Line-banner exchange as SSH opens a session: the server sends its banner line, reads the
 * client's, then closes. Usage: banner-server.js --listen ADDR --port N --banner TEXT
 */
import { createServer, type AddressInfo } from 'node:net';
import { fail, listenPortOption, parseScriptArgs, printEvent, printReady, requiredString } from './script-io.js';

const MAX_LINE_BYTES = 255;

const values = parseScriptArgs('banner-server', {
  listen: { type: 'string' },
  port: { type: 'string' },
  banner: { type: 'string' },
});
const listen = requiredString(values, 'listen');
const port = listenPortOption(values);
const banner = requiredString(values, 'banner');

const server = createServer((socket) => {
  let received = '';
  socket.setEncoding('latin1');
  socket.setTimeout(5_000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    received += chunk;
    const end = received.indexOf('\n');
    if (end < 0 && received.length <= MAX_LINE_BYTES) return;
    const clientBanner = (end < 0 ? received : received.slice(0, end)).replace(/\r$/, '');
    printEvent({ type: 'banner', from: socket.remoteAddress, clientBanner });
    socket.end();
  });
  socket.write(`${banner}\r\n`);
});
server.on('error', (error) => fail(1, `banner-server on ${listen}:${port}: ${error.message}`));
server.listen(port, listen, () => {
  printReady({ service: 'banner', listen, port: (server.address() as AddressInfo).port });
});
