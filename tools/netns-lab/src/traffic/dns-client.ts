#!/usr/bin/env node
/**
 * Sends one real DNS query over UDP and prints the answer.
 * Usage: dns-client.js --server ADDR [--port 53] --name NAME [--type A|AAAA] [--timeout-ms N]
 * RESULT {"id","rcode","answers":[addresses of the asked type],"cnames":[CNAME targets, in answer order]}
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { DNS_TYPES, TYPE_CNAME, decodeMessage, encodeQuery, type DnsTypeName } from './dns-message.js';
import {
  exitAfter,
  fail,
  failExchange,
  integerOption,
  optionalString,
  parseScriptArgs,
  portOption,
  printResult,
  requiredString,
} from './script-io.js';

const values = parseScriptArgs('dns-client', {
  server: { type: 'string' },
  port: { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string' },
  'timeout-ms': { type: 'string' },
});
const server = requiredString(values, 'server');
const port = portOption(values, 'port', 53);
const name = requiredString(values, 'name');
const typeName = optionalString(values, 'type', 'A');
if (!(typeName in DNS_TYPES)) fail(2, `--type must be A or AAAA (got ${JSON.stringify(typeName)})`);
const type = DNS_TYPES[typeName as DnsTypeName];
const timeoutMs = integerOption(values, 'timeout-ms', 3_000, 1, 60_000);
if (isIP(server) === 0) fail(2, `--server must be an IP address (got ${JSON.stringify(server)})`);

const id = randomInt(0, 0x10000);
const socket = createSocket(isIP(server) === 6 ? 'udp6' : 'udp4');
const timer = exitAfter(timeoutMs, `DNS query for ${name} to ${server}:${port}`);
socket.on('error', (error) => failExchange(`DNS query to ${server}:${port}`, error));
socket.on('message', (packet) => {
  let answer;
  try {
    answer = decodeMessage(packet);
  } catch (error) {
    failExchange(`DNS answer from ${server}:${port}`, error);
  }
  if (!answer.isResponse || answer.id !== id) return; // not ours: keep waiting
  clearTimeout(timer);
  socket.close();
  printResult({
    id,
    rcode: answer.rcode,
    answers: answer.answers.filter((record) => record.type === type).map((record) => record.data),
    cnames: answer.answers.filter((record) => record.type === TYPE_CNAME).map((record) => record.data),
  });
});
socket.send(encodeQuery(id, name, type), port, server);
