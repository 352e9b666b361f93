import type { FlowStats } from '@netifyd/plugin-sdk';
import type { TickFlowRecord } from './engine-records.js';
import { byteRate } from './flow-builder.js';
import type { FlowState } from './flow-state.js';

/**
 * The S encoding (FORMATS §2.1, §6.4) of one flow for one interval: interval deltas mapped
 * to local/other, rates over the seconds that had traffic, cumulative totals, and `tcp`
 * interval counters for TCP flows.
 */
export function intervalStats(state: FlowState, entry: TickFlowRecord): FlowStats {
  const lowerIsLocal = state.lowerIsLocal;
  const head: StatsHead = {
    detection_packets: entry.detectionPackets,
    digest: state.digest,
    digest_prev: [],
    last_seen_at: entry.lastSeenMs,
    local_bytes: lowerIsLocal ? entry.lowerBytes : entry.upperBytes,
    local_packets: lowerIsLocal ? entry.lowerPackets : entry.upperPackets,
    local_rate: lowerIsLocal
      ? byteRate(entry.lowerBytes, entry.lowerActiveSeconds)
      : byteRate(entry.upperBytes, entry.upperActiveSeconds),
    other_bytes: lowerIsLocal ? entry.upperBytes : entry.lowerBytes,
    other_packets: lowerIsLocal ? entry.upperPackets : entry.lowerPackets,
    other_rate: lowerIsLocal
      ? byteRate(entry.upperBytes, entry.upperActiveSeconds)
      : byteRate(entry.lowerBytes, entry.lowerActiveSeconds),
  };
  const tcp = state.isTcp ? { resets: entry.tcpResets, retrans: entry.tcpRetrans, seq_errors: entry.tcpSeqErrors } : undefined;
  return completeStats(head, tcp, entry.totalBytes, entry.totalPackets);
}

/** The S encoding of a purged flow that had no traffic since its last `flow_stats`. */
export function idleStats(state: FlowState): FlowStats {
  const head: StatsHead = {
    detection_packets: state.detectionPackets,
    digest: state.digest,
    digest_prev: [],
    last_seen_at: state.lastSeenMs,
    local_bytes: 0,
    local_packets: 0,
    local_rate: 0,
    other_bytes: 0,
    other_packets: 0,
    other_rate: 0,
  };
  const tcp = state.isTcp ? { resets: 0, retrans: 0, seq_errors: 0 } : undefined;
  return completeStats(head, tcp, state.totalBytes, state.totalPackets);
}

type StatsHead = Omit<FlowStats, 'tcp' | 'total_bytes' | 'total_packets'>;

/**
 * Adds the keys that sort after `other_rate`, in byte order (`tcp` only for TCP flows):
 * proc-core writes an object whose keys are already in order natively (see buildFlow).
 */
function completeStats(head: StatsHead, tcp: FlowStats['tcp'], totalBytes: number, totalPackets: number): FlowStats {
  const stats = head as FlowStats;
  if (tcp) stats.tcp = tcp;
  stats.total_bytes = totalBytes;
  stats.total_packets = totalPackets;
  return stats;
}
