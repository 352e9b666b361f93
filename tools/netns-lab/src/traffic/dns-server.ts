#!/usr/bin/env node
/**
 * Authoritative toy DNS server over UDP for the lab.
 * Usage: dns-server.js --listen ADDR --port N --record NAME=ADDRESS [--record ...] [--ttl S]
 * A/AAAA come from the records (family of ADDRESS decides the type); a known name with no
 * record of the asked type gets an empty NOERROR, an unknown name NXDOMAIN.
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import {
  DNS_TYPES,
  RCODE_FORMERR,
  RCODE_NOERROR,
  RCODE_NXDOMAIN,
  decodeMessage,
  encodeResponse,
  type DnsMessage,
} from './dns-message.js';
import { fail, integerOption, listenPortOption, parseScriptArgs, printEvent, printReady, requiredString, stringList } from './script-io.js';

const values = parseScriptArgs('dns-server', {
  listen: { type: 'string' },
  port: { type: 'string' },
  record: { type: 'string', multiple: true },
  ttl: { type: 'string' },
});
const listen = requiredString(values, 'listen');
const port = listenPortOption(values, 53);
const ttl = integerOption(values, 'ttl', 60, 0, 86_400);
const records = parseRecords(stringList(values, 'record'));

const socket = createSocket({ type: isIP(listen) === 6 ? 'udp6' : 'udp4' });
socket.on('error', (error) => fail(1, `dns-server on ${listen}:${port}: ${error.message}`));
socket.on('message', (packet, remote) => {
  let query: DnsMessage;
  try {
    query = decodeMessage(packet);
  } catch (error) {
    printEvent({ type: 'dns-malformed', from: remote.address, reason: (error as Error).message });
    return;
  }
  if (query.isResponse) return;
  const question = query.questions[0];
  const name = question?.name.toLowerCase() ?? '';
  const known = records.get(name);
  const rcode = !question ? RCODE_FORMERR : known ? RCODE_NOERROR : RCODE_NXDOMAIN;
  const addresses = (known ?? []).filter((address) =>
    question?.type === DNS_TYPES.A ? isIP(address) === 4 : question?.type === DNS_TYPES.AAAA && isIP(address) === 6,
  );
  socket.send(encodeResponse(query, rcode, addresses, ttl), remote.port, remote.address);
  printEvent({ type: 'dns', from: remote.address, name, qtype: question?.type ?? null, rcode, answers: addresses });
});
socket.bind(port, listen, () => printReady({ service: 'dns', listen, port: socket.address().port }));

function parseRecords(specs: readonly string[]): Map<string, string[]> {
  if (specs.length === 0) fail(2, '--record NAME=ADDRESS is required at least once');
  const map = new Map<string, string[]>();
  for (const spec of specs) {
    const [name, address] = spec.split('=');
    if (!name || !address || isIP(address) === 0) {
      fail(2, `--record must be NAME=IPv4-or-IPv6-address (got ${JSON.stringify(spec)})`);
    }
    const key = name.toLowerCase().replace(/\.$/, '');
    map.set(key, [...(map.get(key) ?? []), address]);
  }
  return map;
}
