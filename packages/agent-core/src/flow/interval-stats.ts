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
  const stats: FlowStats = {
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
    total_bytes: entry.totalBytes,
    total_packets: entry.totalPackets,
    detection_packets: entry.detectionPackets,
  };
  if (state.isTcp) stats.tcp = { resets: entry.tcpResets, retrans: entry.tcpRetrans, seq_errors: entry.tcpSeqErrors };
  return stats;
}

/** The S encoding of a purged flow that had no traffic since its last `flow_stats`. */
export function idleStats(state: FlowState): FlowStats {
  const stats: FlowStats = {
    digest: state.digest,
    digest_prev: [],
    last_seen_at: state.lastSeenMs,
    local_bytes: 0,
    local_packets: 0,
    local_rate: 0,
    other_bytes: 0,
    other_packets: 0,
    other_rate: 0,
    total_bytes: state.totalBytes,
    total_packets: state.totalPackets,
    detection_packets: state.detectionPackets,
  };
  if (state.isTcp) stats.tcp = { resets: 0, retrans: 0, seq_errors: 0 };
  return stats;
}
