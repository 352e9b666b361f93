import type { Flow, FlowStats, PurgeReason } from './flow.js';

/** Wire names of every message the agent emits (the `type` key). */
export type MessageType =
  | 'agent_hello'
  | 'agent_status'
  | 'flow'
  | 'flow_dpi_update'
  | 'flow_dpi_complete'
  | 'flow_stats'
  | 'flow_purge'
  | 'interfaces'
  | 'interface_stats'
  | 'global_stats'
  | 'endpoints'
  | 'definitions';

/** Envelope of every message that carries a flow (FORMATS §1.1). */
export interface FlowEnvelope {
  /** Capture interface name; capture files are `offline<N>` unless named. */
  interface: string;
  /** True when the interface's role is LAN. */
  internal: boolean;
  established: boolean;
}

export interface FlowMessage extends FlowEnvelope {
  type: 'flow' | 'flow_dpi_update' | 'flow_dpi_complete';
  flow: Flow;
}

export interface FlowStatsMessage extends FlowEnvelope {
  type: 'flow_stats';
  flow: FlowStats;
}

export interface FlowPurgeMessage extends FlowEnvelope {
  type: 'flow_purge';
  reason: PurgeReason;
  flow: FlowStats;
}

export interface AgentHelloMessage {
  type: 'agent_hello';
  agent_version: string;
  build_version: string;
  json_version: number;
}

/** Per-interface packet counters (FORMATS §7.1); all integers. */
export interface PacketCounters {
  raw: number;
  ethernet: number;
  mpls: number;
  pppoe: number;
  vlan: number;
  fragmented: number;
  discarded: number;
  discarded_bytes: number;
  largest_bytes: number;
  ip: number;
  tcp: number;
  udp: number;
  icmp: number;
  igmp: number;
  tcp_seq_errors: number;
  tcp_resets: number;
  ip_bytes: number;
  wire_bytes: number;
  flow_dropped: number;
  queue_dropped: number;
  capture_dropped: number;
  capture_filtered: number;
}

export interface InterfaceStatsMessage {
  type: 'interface_stats';
  [iface: string]: PacketCounters | 'interface_stats';
}

export interface GlobalStatsMessage extends PacketCounters {
  type: 'global_stats';
}

export interface InterfaceInfo {
  role: 'lan' | 'wan';
  capture_type: 'pcap' | 'tpv3' | 'nfqueue';
  capture_file?: string;
  mac: string;
  addr?: string[];
  [key: string]: unknown;
}

export interface InterfacesMessage {
  type: 'interfaces';
  [iface: string]: InterfaceInfo | 'interfaces';
}

export interface EndpointsMessage {
  type: 'endpoints';
  [mac: string]: string[] | 'endpoints';
}

/** Counters every plugin reports into `agent_status.plugins.<tag>`. */
export interface PluginStatus {
  type: 'processor' | 'sink';
  [counter: string]: number | string;
}

export interface AgentStatusMessage {
  type: 'agent_status';
  agent_version: string;
  build_version: string;
  timestamp: number;
  uptime: number;
  update_interval: number;
  update_imf: number;
  cpu_cores: number;
  cpu_user: number;
  cpu_user_prev: number;
  cpu_system: number;
  cpu_system_prev: number;
  maxrss_kb: number;
  maxrss_kb_prev: number;
  memrss_kb: number;
  memrss_kb_prev: number;
  tcm_kb: number;
  tcm_kb_prev: number;
  flow_count: number;
  flow_count_prev: number;
  flows_active: number;
  flows_expiring: number;
  flows_expired: number;
  flows_purged: number;
  flows_in_use: number;
  dhc_status: boolean;
  dhc_size?: number;
  fhc_status: boolean;
  plugins?: Record<string, PluginStatus>;
  [key: string]: unknown;
}
