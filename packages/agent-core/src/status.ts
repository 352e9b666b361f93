import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { AgentStatusMessage, PluginStatus } from '@netifyd/plugin-sdk';
import type { FlowTableFigures } from './flow/index.js';
import { AGENT_VERSION, BUILD_VERSION } from './version.js';

const NO_FLOWS: FlowTableFigures = { flowCount: 0, flowsActive: 0, flowsExpired: 0, flowsPurged: 0 };

/**
 * A capture file ticks in capture time, thousands of times a second: the process figures
 * (system calls and /proc reads) and the plugins' counters are sampled at most this often in
 * wall time and reused by the ticks in between. Live ticks are an update interval apart and
 * always sample.
 */
export const PROCESS_SAMPLE_MS = 100;

interface ProcessFigures {
  readonly cpuCores: number;
  readonly cpuUser: number;
  readonly cpuSystem: number;
  readonly maxrssKb: number;
  readonly memrssKb: number;
  readonly heapKb: number;
}

const NO_FIGURES: ProcessFigures = { cpuCores: 0, cpuUser: 0, cpuSystem: 0, maxrssKb: 0, memrssKb: 0, heapKb: 0 };

function sampleProcess(): ProcessFigures {
  const usage = process.resourceUsage();
  return {
    cpuCores: availableParallelism(),
    cpuUser: usage.userCPUTime / 1e6,
    cpuSystem: usage.systemCPUTime / 1e6,
    maxrssKb: usage.maxRSS,
    memrssKb: Math.round(process.memoryUsage.rss() / 1024),
    heapKb: Math.round(getHeapStatistics().used_heap_size / 1024),
  };
}

export interface StatusInputs {
  /** Each plugin's counters (`agent_status.plugins`), asked for when the status samples. */
  readonly plugins: () => Record<string, PluginStatus>;
  readonly flows?: FlowTableFigures;
  /** The DNS hint cache's size; undefined when it is disabled. */
  readonly dhc?: { readonly size: number };
  readonly signatures?: object;
  /** Sample now, whatever the age of the last sample (the final tick). */
  readonly fresh?: boolean;
}

/**
 * Builds `agent_status` (FORMATS §7.6); remembers the previous figures for the `*_prev` keys.
 * Keys are added in byte order, nested plugin counters too: proc-core writes an object
 * already in order natively, without sorting.
 */
export class StatusReporter {
  private readonly startedAt = process.hrtime.bigint();
  private figures = NO_FIGURES;
  private plugins: Record<string, PluginStatus> | undefined;
  private sampledAt = Number.NEGATIVE_INFINITY;
  private previous = { figures: NO_FIGURES, flowCount: 0 };

  constructor(private readonly updateIntervalS: number) {}

  build(inputs: StatusInputs): AgentStatusMessage {
    const now = this.sample(inputs);
    const before = this.previous.figures;
    const flows = inputs.flows ?? NO_FLOWS;
    const status = {
      agent_version: AGENT_VERSION,
      build_version: BUILD_VERSION,
      cpu_cores: now.cpuCores,
      cpu_system: now.cpuSystem,
      cpu_system_prev: before.cpuSystem,
      cpu_user: now.cpuUser,
      cpu_user_prev: before.cpuUser,
    } as AgentStatusMessage;
    if (inputs.dhc) status.dhc_size = inputs.dhc.size;
    status.dhc_status = inputs.dhc !== undefined;
    status.fhc_status = false;
    status.flow_count = flows.flowCount;
    status.flow_count_prev = this.previous.flowCount;
    status.flows_active = flows.flowsActive;
    status.flows_expired = flows.flowsExpired;
    // Flows are finalised by the engine as they expire; none wait in a separate stage.
    status.flows_expiring = 0;
    status.flows_in_use = 0;
    status.flows_purged = flows.flowsPurged;
    status.maxrss_kb = now.maxrssKb;
    status.maxrss_kb_prev = before.maxrssKb;
    status.memrss_kb = now.memrssKb;
    status.memrss_kb_prev = before.memrssKb;
    if (this.plugins) status.plugins = this.plugins;
    if (inputs.signatures) status.signatures = inputs.signatures;
    status.tcm_kb = now.heapKb;
    status.tcm_kb_prev = before.heapKb;
    status.timestamp = Math.floor(Date.now() / 1000);
    status.type = 'agent_status';
    status.update_imf = 1;
    status.update_interval = this.updateIntervalS;
    status.uptime = Number((process.hrtime.bigint() - this.startedAt) / 1_000_000_000n);
    this.previous = { figures: now, flowCount: flows.flowCount };
    return status;
  }

  private sample(inputs: StatusInputs): ProcessFigures {
    const now = performance.now();
    if (inputs.fresh || now - this.sampledAt >= PROCESS_SAMPLE_MS) {
      this.figures = sampleProcess();
      this.plugins = sortedPlugins(inputs.plugins());
      this.sampledAt = now;
    }
    return this.figures;
  }
}

/** Each plugin's counters with their keys in byte order; undefined when there are no plugins. */
function sortedPlugins(plugins: Record<string, PluginStatus>): Record<string, PluginStatus> | undefined {
  const names = Object.keys(plugins);
  if (names.length === 0) return undefined;
  const sorted: Record<string, PluginStatus> = {};
  for (const name of names.sort()) {
    const counters = plugins[name]!;
    const copy = {} as PluginStatus;
    for (const key of Object.keys(counters).sort()) copy[key] = counters[key]!;
    sorted[name] = copy;
  }
  return sorted;
}
