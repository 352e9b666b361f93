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
    return globalStatsMessage(this.totals);
  }
}

/** `global_stats` with its keys in byte order (`type` sorts between `tcp_seq_errors` and `udp`). */
export function globalStatsMessage(counters: PacketCounters): GlobalStatsMessage {
  const message = {} as GlobalStatsMessage;
  for (const key of PACKET_COUNTER_KEYS) {
    if (key === 'udp') message.type = 'global_stats';
    message[key] = counters[key];
  }
  return message;
}
