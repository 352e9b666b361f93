#!/usr/bin/env node
/**
 * Plain HTTP/1.1 server for the lab. Usage: http-server.js --listen ADDR [--port 80]
 * Requests are reported as EVENT lines (method, path, Host, User-Agent).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleRequest } from './http-handler.js';
import { fail, listenPortOption, parseScriptArgs, printReady, requiredString } from './script-io.js';

const values = parseScriptArgs('http-server', { listen: { type: 'string' }, port: { type: 'string' } });
const listen = requiredString(values, 'listen');
const port = listenPortOption(values, 80);

const server = createServer(handleRequest);
server.on('error', (error) => fail(1, `http-server on ${listen}:${port}: ${error.message}`));
server.listen(port, listen, () => {
  printReady({ service: 'http', listen, port: (server.address() as AddressInfo).port });
});
