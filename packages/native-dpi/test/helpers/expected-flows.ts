// Reads ndpiReader 4.2 `-v 2` flow lines (the corpus's expected-ndpi42/*.out).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedDir } from './corpus.js';

export interface ExpectedFlow {
  key: string;
  protocolName: string;
  hostName: string;
  /** `JA3C,JA3S` hashes (without ndpiReader's `(WEAK)` note), ',' when neither is printed. */
  ja3: string;
  packets: number;
  bytes: number;
  line: string;
}

const IP_PROTOCOLS: Record<string, number> = { TCP: 6, UDP: 17, ICMP: 1, ICMPV6: 58, IGMP: 2, SCTP: 132, GRE: 47 };
const FLOW_LINE =
  /^\t\d+\t(\S+) (\[?[^\s\]]+\]?):(\d+) <?->? (\[?[^\s\]]+\]?):(\d+) (?:\[VLAN: (\d+)\])?.*?\[proto: (?:[^:\]]+:)?[\d.]+\/([^\]]+)\]/;

/** ndpiReader prints IPv6 with ':0:' shortened to '::'; compare canonical forms. */
export function canonicalIp(address: string): string {
  const bare = address.replace(/[[\]]/g, '');
  if (!bare.includes(':')) return bare;
  try {
    return new URL(`http://[${bare}]/`).hostname.replace(/[[\]]/g, '');
  } catch {
    return bare;
  }
}

/** Direction-free key: protocol, VLAN and both endpoints in sorted order. */
export function flowKey(protocol: number, vlan: number, ipA: string, portA: number, ipB: string, portB: number): string {
  const a = `${canonicalIp(ipA)}|${portA}`;
  const b = `${canonicalIp(ipB)}|${portB}`;
  return `${protocol}/${vlan}/${a < b ? `${a}/${b}` : `${b}/${a}`}`;
}

export function readExpectedFlows(capture: string): ExpectedFlow[] {
  const text = readFileSync(join(expectedDir, `${capture}.out`), 'utf8');
  const flows: ExpectedFlow[] = [];
  for (const line of text.split('\n')) {
    const m = FLOW_LINE.exec(line);
    if (!m) continue;
    const [, proto = '', ipA = '', portA = '0', ipB = '', portB = '0', vlan, name = ''] = m;
    const counts = /\[(\d+) pkts\/(\d+) bytes (?:<->|->) (\d+) pkts\/(\d+) bytes\]/.exec(line);
    flows.push({
      key: flowKey(IP_PROTOCOLS[proto] ?? Number(proto), Number(vlan ?? 0), ipA, Number(portA), ipB, Number(portB)),
      protocolName: name,
      hostName: /\[Hostname\/SNI: ([^\]]*)\]/.exec(line)?.[1] ?? '',
      ja3: `${/\[JA3C: ([0-9a-f]+)/.exec(line)?.[1] ?? ''},${/\[JA3S: ([0-9a-f]+)/.exec(line)?.[1] ?? ''}`,
      packets: counts ? Number(counts[1]) + Number(counts[3]) : 0,
      bytes: counts ? Number(counts[2]) + Number(counts[4]) : 0,
      line,
    });
  }
  return flows;
}
