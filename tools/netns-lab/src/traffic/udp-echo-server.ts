#!/usr/bin/env node
/**
 * Echoes every UDP datagram back to its sender. Usage: udp-echo-server.js --listen ADDR --port N
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { fail, listenPortOption, parseScriptArgs, printEvent, printReady, requiredString } from './script-io.js';

const values = parseScriptArgs('udp-echo-server', { listen: { type: 'string' }, port: { type: 'string' } });
const listen = requiredString(values, 'listen');
const port = listenPortOption(values);

const socket = createSocket({ type: isIP(listen) === 6 ? 'udp6' : 'udp4' });
socket.on('error', (error) => fail(1, `udp-echo-server on ${listen}:${port}: ${error.message}`));
socket.on('message', (datagram, remote) => {
  socket.send(datagram, remote.port, remote.address);
  printEvent({ type: 'udp', from: remote.address, bytes: datagram.length });
});
socket.bind(port, listen, () => printReady({ service: 'udp-echo', listen, port: socket.address().port }));
