#!/usr/bin/env node
/**
 * Plain HTTP/1.1 client. Usage: http-client.js --connect ADDR [--port 80] --host NAME
 *   [--path /] [--user-agent UA] [--timeout-ms N]
 * RESULT {"status","contentType","bytesReceived"}
 */
import { Agent, request } from 'node:http';
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

const values = parseScriptArgs('http-client', {
  connect: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  path: { type: 'string' },
  'user-agent': { type: 'string' },
  'timeout-ms': { type: 'string' },
});
const address = requiredString(values, 'connect');
const port = portOption(values, 'port', 80);
const host = requiredString(values, 'host');
const path = optionalString(values, 'path', '/');
if (!/^\/[\x21-\x7e]*$/.test(path)) fail(2, `--path must start with / and hold no spaces (got ${JSON.stringify(path)})`);
const userAgent = optionalString(values, 'user-agent', 'netns-lab/1.0');
const timeoutMs = integerOption(values, 'timeout-ms', 5_000, 1, 60_000);

const req = request({
  host: address,
  port,
  method: 'GET',
  path,
  headers: { Host: host, 'User-Agent': userAgent, Accept: '*/*' },
  agent: new Agent({ keepAlive: true, maxSockets: 1 }),
  timeout: timeoutMs,
});

exchange(req, 0)
  .then(({ response, bytesReceived }) => {
    printResult({ status: response.statusCode, contentType: response.headers['content-type'] ?? null, bytesReceived });
  })
  .catch((error: unknown) => failExchange(`HTTP request to ${address}:${port} (Host ${host})`, error));
