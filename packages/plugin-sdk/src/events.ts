import type { Flow, FlowStats, PurgeReason } from './flow.js';
import type {
  AgentHelloMessage,
  AgentStatusMessage,
  EndpointsMessage,
  GlobalStatsMessage,
  InterfaceStatsMessage,
  InterfacesMessage,
} from './messages.js';

/** Where a flow was captured. */
export interface FlowSource {
  /** Capture interface name (`offline<N>` for capture files unless named). */
  interface: string;
  /** True when the interface's role is LAN (`-I`), false for WAN (`-E`). */
  internal: boolean;
}

/** The protocol first became known for this flow (netifyd EVENT_DPI_NEW); wire type `flow`. */
export interface FlowNewEvent extends FlowSource {
  type: 'flow_new';
  flow: Flow;
}

/** A later DPI packet added metadata; wire type `flow_dpi_update`. */
export interface DetectionUpdatedEvent extends FlowSource {
  type: 'detection_updated';
  flow: Flow;
}

/** DPI is over for this flow (detected, gave up, or expiring); wire type `flow_dpi_complete`. */
export interface FlowDpiCompleteEvent extends FlowSource {
  type: 'flow_dpi_complete';
  flow: Flow;
}

/** The flow left the flow table; its `flow_purge` entry follows in the next tick. */
export interface FlowExpireEvent extends FlowSource {
  type: 'flow_expire';
  reason: PurgeReason;
  flow: Flow;
}

export interface FlowStatsEntry extends FlowSource {
  flow: FlowStats;
}

export interface FlowPurgeEntry extends FlowSource {
  reason: PurgeReason;
  flow: FlowStats;
}

/** Everything the agent reports once per update interval, in netifyd's tick order. */
export interface TickEvent {
  type: 'tick';
  status: AgentStatusMessage;
  interfaces: InterfacesMessage;
  interfaceStats: InterfaceStatsMessage;
  globalStats: GlobalStatsMessage;
  endpoints: EndpointsMessage;
  /** Flows classified at least once that had traffic during the interval. */
  flowStats: FlowStatsEntry[];
  /** Flows removed from the table during the interval. */
  purged: FlowPurgeEntry[];
  /** True for the last tick before the agent stops (end of capture or shutdown). */
  final: boolean;
}

export interface AgentStartEvent {
  type: 'agent_start';
  hello: AgentHelloMessage;
}

export interface AgentStopEvent {
  type: 'agent_stop';
}

export type AgentEvent =
  | AgentStartEvent
  | FlowNewEvent
  | DetectionUpdatedEvent
  | FlowDpiCompleteEvent
  | FlowExpireEvent
  | TickEvent
  | AgentStopEvent;

export type AgentEventType = AgentEvent['type'];
