import { availableParallelism } from 'node:os';
import type { AgentStatusMessage, PluginStatus } from '@netifyd/plugin-sdk';
import type { FlowTableFigures } from './flow/index.js';
import { AGENT_VERSION, BUILD_VERSION } from './version.js';

const NO_FLOWS: FlowTableFigures = { flowCount: 0, flowsActive: 0, flowsExpired: 0, flowsPurged: 0 };

/** Builds `agent_status` (FORMATS §7.6); remembers the previous figures for the `*_prev` keys. */
export class StatusReporter {
  private readonly startedAt = process.hrtime.bigint();
  private previous = { cpuUser: 0, cpuSystem: 0, maxrssKb: 0, memrssKb: 0, heapKb: 0, flowCount: 0 };

  constructor(private readonly updateIntervalS: number) {}

  build(plugins: Record<string, PluginStatus>, flows: FlowTableFigures = NO_FLOWS, dhc?: { size: number }): AgentStatusMessage {
    const cpu = process.cpuUsage();
    const now = {
      cpuUser: cpu.user / 1e6,
      cpuSystem: cpu.system / 1e6,
      maxrssKb: process.resourceUsage().maxRSS,
      memrssKb: Math.round(process.memoryUsage.rss() / 1024),
      heapKb: Math.round(process.memoryUsage().heapUsed / 1024),
      flowCount: flows.flowCount,
    };
    const status: AgentStatusMessage = {
      type: 'agent_status',
      agent_version: AGENT_VERSION,
      build_version: BUILD_VERSION,
      timestamp: Math.floor(Date.now() / 1000),
      uptime: Number((process.hrtime.bigint() - this.startedAt) / 1_000_000_000n),
      update_interval: this.updateIntervalS,
      update_imf: 1,
      cpu_cores: availableParallelism(),
      cpu_user: now.cpuUser,
      cpu_user_prev: this.previous.cpuUser,
      cpu_system: now.cpuSystem,
      cpu_system_prev: this.previous.cpuSystem,
      maxrss_kb: now.maxrssKb,
      maxrss_kb_prev: this.previous.maxrssKb,
      memrss_kb: now.memrssKb,
      memrss_kb_prev: this.previous.memrssKb,
      tcm_kb: now.heapKb,
      tcm_kb_prev: this.previous.heapKb,
      flow_count: flows.flowCount,
      flow_count_prev: this.previous.flowCount,
      flows_active: flows.flowsActive,
      // Flows are finalised by the engine as they expire; none wait in a separate stage.
      flows_expiring: 0,
      flows_expired: flows.flowsExpired,
      flows_purged: flows.flowsPurged,
      flows_in_use: 0,
      dhc_status: dhc !== undefined,
      fhc_status: false,
    };
    if (dhc) status.dhc_size = dhc.size;
    if (Object.keys(plugins).length > 0) status.plugins = plugins;
    this.previous = now;
    return status;
  }
}
