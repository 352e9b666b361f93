import type { GlobalStatsMessage, PacketCounters } from '@netifyd/plugin-sdk';

/**
 * The 22 counters of `interface_stats`/`global_stats` (FORMATS §7.1), all always present, in
 * byte order: counter objects are built in it, as proc-core writes an ordered object natively.
 */
export const PACKET_COUNTER_KEYS = [
  'capture_dropped', 'capture_filtered', 'discarded', 'discarded_bytes', 'ethernet', 'flow_dropped',
  'fragmented', 'icmp', 'igmp', 'ip', 'ip_bytes', 'largest_bytes', 'mpls', 'pppoe', 'queue_dropped',
  'raw', 'tcp', 'tcp_resets', 'tcp_seq_errors', 'udp', 'vlan', 'wire_bytes',
] as const satisfies ReadonlyArray<keyof PacketCounters>;

/**
 * Counters are created by a literal: an object given 22 properties one by one under computed
 * names turns into a dictionary, which JSON.stringify writes several times slower.
 */
export function zeroCounters(): PacketCounters {
  return {
    capture_dropped: 0, capture_filtered: 0, discarded: 0, discarded_bytes: 0, ethernet: 0, flow_dropped: 0,
    fragmented: 0, icmp: 0, igmp: 0, ip: 0, ip_bytes: 0, largest_bytes: 0, mpls: 0, pppoe: 0, queue_dropped: 0,
    raw: 0, tcp: 0, tcp_resets: 0, tcp_seq_errors: 0, udp: 0, vlan: 0, wire_bytes: 0,
  };
}

/** An engine source's interval counters as the 22 integer keys (absent or bad values → 0). */
export function toPacketCounters(raw: Readonly<Record<string, number>> | undefined): PacketCounters {
  const counters = zeroCounters();
  if (!raw) return counters;
  for (const key of PACKET_COUNTER_KEYS) {
    const value = raw[key];
    if (typeof value === 'number' && Number.isFinite(value)) counters[key] = Math.trunc(value);
  }
  return counters;
}

/** Cumulative counters since start (`global_stats`): sums, except `largest_bytes` (maximum). */
export class GlobalCounters {
  private readonly totals = zeroCounters();

  add(interval: PacketCounters): void {
    for (const key of PACKET_COUNTER_KEYS) {
      this.totals[key] = key === 'largest_bytes' ? Math.max(this.totals[key], interval[key]) : this.totals[key] + interval[key];
    }
  }

  message(): GlobalStatsMessage {
    return globalStatsMessage(this.totals);
  }
}

/** `global_stats` with its keys in byte order (`type` sorts between `tcp_seq_errors` and `udp`). */
export function globalStatsMessage(c: PacketCounters): GlobalStatsMessage {
  return {
    capture_dropped: c.capture_dropped, capture_filtered: c.capture_filtered, discarded: c.discarded,
    discarded_bytes: c.discarded_bytes, ethernet: c.ethernet, flow_dropped: c.flow_dropped, fragmented: c.fragmented,
    icmp: c.icmp, igmp: c.igmp, ip: c.ip, ip_bytes: c.ip_bytes, largest_bytes: c.largest_bytes, mpls: c.mpls,
    pppoe: c.pppoe, queue_dropped: c.queue_dropped, raw: c.raw, tcp: c.tcp, tcp_resets: c.tcp_resets,
    tcp_seq_errors: c.tcp_seq_errors, type: 'global_stats', udp: c.udp, vlan: c.vlan, wire_bytes: c.wire_bytes,
  };
}
