#!/usr/bin/env node
/**
 * Authoritative toy DNS server over UDP for the lab.
 * Usage: dns-server.js --listen ADDR --port N --record NAME=ADDRESS [--record ...]
 *        [--cname ALIAS=TARGET ...] [--ttl S]
 * A/AAAA come from the records (family of ADDRESS decides the type). A name with a CNAME is
 * answered with the CNAME chain (at most 8 links) and then the addresses of the name it ends
 * at. A known name with no record of the asked type gets an empty NOERROR, an unknown name
 * NXDOMAIN.
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import {
  DNS_TYPES,
  RCODE_FORMERR,
  RCODE_NOERROR,
  RCODE_NXDOMAIN,
  decodeMessage,
  encodeAnswers,
  type AnswerRecord,
  type DnsMessage,
} from './dns-message.js';
import { fail, integerOption, listenPortOption, parseScriptArgs, printEvent, printReady, requiredString, stringList } from './script-io.js';

const values = parseScriptArgs('dns-server', {
  listen: { type: 'string' },
  port: { type: 'string' },
  record: { type: 'string', multiple: true },
  cname: { type: 'string', multiple: true },
  ttl: { type: 'string' },
});
const listen = requiredString(values, 'listen');
const port = listenPortOption(values, 53);
const ttl = integerOption(values, 'ttl', 60, 0, 86_400);
const records = parseRecords(stringList(values, 'record'));
const cnames = parseCnames(stringList(values, 'cname'));
const MAX_CNAME_LINKS = 8;

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
  const chain = cnameChain(name);
  const final = chain.length > 0 ? (chain[chain.length - 1]?.target ?? name) : name;
  const known = records.get(final);
  const rcode = !question ? RCODE_FORMERR : known || chain.length > 0 ? RCODE_NOERROR : RCODE_NXDOMAIN;
  const addresses = (known ?? []).filter((address) =>
    question?.type === DNS_TYPES.A ? isIP(address) === 4 : question?.type === DNS_TYPES.AAAA && isIP(address) === 6,
  );
  const answers: AnswerRecord[] = question ? [...chain, ...addresses.map((address) => ({ name: final, address }))] : [];
  socket.send(encodeAnswers(query, rcode, answers, ttl), remote.port, remote.address);
  printEvent({
    type: 'dns', from: remote.address, name, qtype: question?.type ?? null, rcode, answers: addresses,
    ...(chain.length > 0 ? { cnames: chain.map((link) => link.target) } : {}),
  });
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

function parseCnames(specs: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const spec of specs) {
    const [alias, target] = spec.split('=');
    if (!alias || !target) fail(2, `--cname must be ALIAS=TARGET (got ${JSON.stringify(spec)})`);
    map.set(alias.toLowerCase().replace(/\.$/, ''), target.toLowerCase().replace(/\.$/, ''));
  }
  return map;
}

/** The CNAME records that lead from `name`, in order; stops at a loop or after 8 links. */
function cnameChain(name: string): Array<{ name: string; target: string }> {
  const chain: Array<{ name: string; target: string }> = [];
  const seen = new Set([name]);
  let current = name;
  for (let link = 0; link < MAX_CNAME_LINKS; link++) {
    const target = cnames.get(current);
    if (target === undefined || seen.has(target)) break;
    chain.push({ name: current, target });
    seen.add(target);
    current = target;
  }
  return chain;
}
