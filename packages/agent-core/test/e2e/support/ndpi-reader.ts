import { readFileSync } from 'node:fs';
import type { FlowLifecycle } from './flow-lifecycle.js';

/** One flow line of ndpiReader's `-v 2` output. */
export interface NdpiFlow {
  readonly line: string;
  readonly key: string;
  readonly protocol: string;
  /** Packets/bytes sent by the endpoint printed first, and by the second. */
  readonly first: { endpoint: string; packets: number; bytes: number };
  readonly second: { endpoint: string; packets: number; bytes: number };
  readonly hostname?: string;
}

const IP_PROTOCOLS: Record<string, number> = { ICMP: 1, IGMP: 2, TCP: 6, UDP: 17, ICMPV6: 58, SCTP: 132 };
const FLOW_LINE = /^\t\d+\t(\S+) (\S+):(\d+) (?:<->|->) (\S+):(\d+) (.*)$/;
const COUNTS = /\[(\d+) pkts\/(\d+) bytes (?:<->|->) (\d+) pkts\/(\d+) bytes\]/;
const PROTO = /\[proto: ([^\]]+)\]/;

/** An address in one canonical spelling (IPv6 compressed, lowercase) plus port. */
function endpoint(address: string, port: number): string {
  const bare = address.replace(/^\[|\]$/g, '');
  const canonical = bare.includes(':') ? new URL(`http://[${bare}]/`).hostname : bare;
  return `${canonical}#${port}`;
}

function flowKey(ipProtocol: number, vlan: number, a: string, b: string): string {
  return `${ipProtocol}|${vlan}|${[a, b].sort().join('|')}`;
}

/** Parses ndpiReader's flow lines; lines it cannot read are skipped. */
export function readNdpiFlows(file: string): NdpiFlow[] {
  const flows: NdpiFlow[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = FLOW_LINE.exec(line);
    const counts = match && COUNTS.exec(match[6]!);
    if (!match || !counts) continue;
    const [, transport, sourceIp, sourcePort, destIp, destPort, rest] = match as unknown as string[];
    const ipProtocol = IP_PROTOCOLS[transport!] ?? Number(transport);
    const vlan = Number(/\[VLAN: (\d+)\]/.exec(rest!)?.[1] ?? 0);
    const first = { endpoint: endpoint(sourceIp!, Number(sourcePort)), packets: Number(counts[1]), bytes: Number(counts[2]) };
    const second = { endpoint: endpoint(destIp!, Number(destPort)), packets: Number(counts[3]), bytes: Number(counts[4]) };
    const hostname = /\[Hostname\/SNI: ([^\]]*)\]/.exec(rest!)?.[1];
    flows.push({
      line: line.trim(),
      key: flowKey(ipProtocol, vlan, first.endpoint, second.endpoint),
      protocol: PROTO.exec(rest!)?.[1] ?? '?',
      first,
      second,
      ...(hostname ? { hostname } : {}),
    });
  }
  return flows;
}

/** The agent's flows summed per 5-tuple (a flow split by idle expiry counts once). */
function agentFlowsByKey(flows: readonly FlowLifecycle[]): Map<string, { sent: Map<string, { packets: number; bytes: number }>; names: Set<string>; count: number }> {
  const byKey = new Map<string, { sent: Map<string, { packets: number; bytes: number }>; names: Set<string>; count: number }>();
  for (const flow of flows) {
    const meta = flow.complete ?? flow.first;
    const local = endpoint(meta.local_ip, meta.local_port);
    const other = endpoint(meta.other_ip, meta.other_port);
    const key = flowKey(meta.ip_protocol, meta.vlan_id, local, other);
    const entry = byKey.get(key) ?? { sent: new Map(), names: new Set<string>(), count: 0 };
    entry.count++;
    for (const [side, packets, bytes] of [[local, flow.localPackets, flow.localBytes], [other, flow.otherPackets, flow.otherBytes]] as const) {
      const sent = entry.sent.get(side) ?? { packets: 0, bytes: 0 };
      sent.packets += packets;
      sent.bytes += bytes;
      entry.sent.set(side, sent);
    }
    if (meta.host_server_name) entry.names.add(meta.host_server_name);
    // ndpiReader 4.2 prints the SSH server's banner as Hostname/SNI; which of the flow's two
    // banners holds it is checked elsewhere (the sample capture knows who sent what).
    if (meta.ssh?.client) entry.names.add(meta.ssh.client);
    if (meta.ssh?.server) entry.names.add(meta.ssh.server);
    byKey.set(key, entry);
  }
  return byKey;
}

/**
 * Differences between the agent's flows and ndpiReader's, by 5-tuple: missing flows, packet
 * and byte counts per direction, and the host name / SNI (for SSH, ndpiReader's banner must
 * be one of the flow's `ssh` banners).
 */
export function compareWithNdpiReader(flows: readonly FlowLifecycle[], expected: readonly NdpiFlow[]): { matched: number; differences: string[] } {
  const agent = agentFlowsByKey(flows);
  const differences: string[] = [];
  let matched = 0;
  for (const want of expected) {
    const got = agent.get(want.key);
    if (!got) {
      differences.push(`missing: ${want.line.slice(0, 160)}`);
      continue;
    }
    matched++;
    for (const side of [want.first, want.second]) {
      const sent = got.sent.get(side.endpoint) ?? { packets: 0, bytes: 0 };
      if (sent.packets !== side.packets || sent.bytes !== side.bytes) {
        differences.push(`${want.key}: ${side.endpoint} sent ${sent.packets} pkts/${sent.bytes} bytes, ndpiReader ${side.packets}/${side.bytes}`);
      }
    }
    if (want.hostname && !got.names.has(want.hostname)) {
      differences.push(`${want.key}: host name ${JSON.stringify([...got.names])}, ndpiReader ${JSON.stringify(want.hostname)}`);
    }
  }
  return { matched, differences };
}
