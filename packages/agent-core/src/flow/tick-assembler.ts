import type {
  FlowPurgeEntry,
  FlowStatsEntry,
  InterfaceStatsMessage,
  PacketCounters,
  TickEvent,
} from '@netifyd/plugin-sdk';
import type { TickRecord } from './engine-records.js';
import type { EndpointRecorder } from './endpoints.js';
import type { FlowSources } from './flow-sources.js';
import type { FlowState } from './flow-state.js';
import { idleStats, intervalStats } from './interval-stats.js';
import { namedMessage } from './named-message.js';
import { GlobalCounters, toPacketCounters, zeroCounters, PACKET_COUNTER_KEYS } from './packet-counters.js';

/** Flow-table figures of one tick, for `agent_status`. */
export interface FlowTableFigures {
  /** Flows the model tracks after the purge (classified at least once). */
  flowCount: number;
  /** Flows with a `flow_stats` entry this tick. */
  flowsActive: number;
  /** Flows found expired since the previous tick. */
  flowsExpired: number;
  /** Flows removed from the table this tick. */
  flowsPurged: number;
}

/** Everything of a `tick` event but `status`, which the agent adds. */
export interface FlowTick extends Omit<TickEvent, 'status'> {
  /** Tick time: capture time for capture files, wall clock live (ms). */
  timeMs: number;
  figures: FlowTableFigures;
}

/**
 * Builds a tick's data (FORMATS §6.4, §7): `flow_stats` for tracked, unexpired flows with
 * traffic in the interval; `flow_purge` for flows expired since the previous tick, with the
 * interval counters they had (zero if none); per-interface interval counters; cumulative
 * global counters; the interval's endpoints.
 */
export class TickAssembler {
  private readonly global = new GlobalCounters();

  constructor(
    private readonly sources: FlowSources,
    private readonly endpoints: EndpointRecorder,
  ) {}

  assemble(tick: TickRecord, flows: Map<number, FlowState>, expired: readonly FlowState[]): FlowTick {
    const flowStats: FlowStatsEntry[] = [];
    for (const entry of tick.flows) {
      const state = flows.get(entry.flowId);
      if (!state) continue;
      const stats = intervalStats(state, entry);
      if (state.expired) state.purgeStats = stats;
      else flowStats.push({ interface: state.source.interface, internal: state.source.internal, flow: stats });
    }
    const purged: FlowPurgeEntry[] = [];
    for (const state of expired) {
      purged.push({ interface: state.source.interface, internal: state.source.internal, reason: state.reason, flow: state.purgeStats ?? idleStats(state) });
      flows.delete(state.flowId);
    }
    const interfaceStats = this.interfaceStats(tick);
    return {
      type: 'tick',
      timeMs: tick.timeMs,
      final: tick.final,
      interfaces: this.sources.interfacesMessage(),
      interfaceStats,
      globalStats: this.global.message(),
      endpoints: this.endpoints.take(),
      flowStats,
      purged,
      figures: { flowCount: flows.size, flowsActive: flowStats.length, flowsExpired: expired.length, flowsPurged: purged.length },
    };
  }

  /** Interval counters per interface name (sources sharing a name are summed); feeds global. */
  private interfaceStats(tick: TickRecord): InterfaceStatsMessage {
    const byName = new Map<string, PacketCounters>();
    for (const name of this.sources.names()) byName.set(name, zeroCounters());
    for (const { source, counters } of tick.sources) {
      const interval = toPacketCounters(counters);
      const name = this.sources.envelope(source).interface;
      const sum = byName.get(name);
      if (!sum) {
        byName.set(name, interval);
        continue;
      }
      for (const key of PACKET_COUNTER_KEYS) sum[key] = key === 'largest_bytes' ? Math.max(sum[key], interval[key]) : sum[key] + interval[key];
    }
    for (const counters of byName.values()) this.global.add(counters);
    return namedMessage<InterfaceStatsMessage>('interface_stats', byName);
  }
}
