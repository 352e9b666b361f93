import type { GlobalStatsMessage, PacketCounters } from '@netifyd/plugin-sdk';

/** The 22 counters of `interface_stats`/`global_stats` (FORMATS §7.1), all always present. */
export const PACKET_COUNTER_KEYS = [
  'raw', 'ethernet', 'mpls', 'pppoe', 'vlan', 'fragmented', 'discarded', 'discarded_bytes',
  'largest_bytes', 'ip', 'tcp', 'udp', 'icmp', 'igmp', 'tcp_seq_errors', 'tcp_resets',
  'ip_bytes', 'wire_bytes', 'flow_dropped', 'queue_dropped', 'capture_dropped', 'capture_filtered',
] as const satisfies ReadonlyArray<keyof PacketCounters>;

export function zeroCounters(): PacketCounters {
  const counters = {} as PacketCounters;
  for (const key of PACKET_COUNTER_KEYS) counters[key] = 0;
  return counters;
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
    return { type: 'global_stats', ...this.totals };
  }
}
