import type {
  AgentHelloMessage,
  AgentIdentity,
  FlowMessage,
  FlowPurgeEntry,
  FlowPurgeMessage,
  FlowStatsEntry,
  FlowStatsMessage,
} from '@netifyd/plugin-sdk';
import type { TrackedFlow } from './flow-registry.js';

/** Envelope + full flow (FORMATS §1.1). `established` is true only in a new client's dump. */
export function flowMessage(type: FlowMessage['type'], source: TrackedFlow, established = false): FlowMessage {
  return { type, interface: source.interface, internal: source.internal, established, flow: source.flow };
}

export function flowStatsMessage(entry: FlowStatsEntry): FlowStatsMessage {
  return { type: 'flow_stats', interface: entry.interface, internal: entry.internal, established: false, flow: entry.flow };
}

export function flowPurgeMessage(entry: FlowPurgeEntry): FlowPurgeMessage {
  return {
    type: 'flow_purge',
    interface: entry.interface,
    internal: entry.internal,
    established: false,
    reason: entry.reason,
    flow: entry.flow,
  };
}

/** FORMATS §7.5; `json_version` is netifyd's deprecated constant. */
export function helloMessage(agent: AgentIdentity): AgentHelloMessage {
  return { type: 'agent_hello', agent_version: agent.version, build_version: agent.buildVersion, json_version: 1.9 };
}

export interface DefinitionsMessage {
  type: 'definitions';
  protocols: { id: number; tag: string }[];
  applications: { id: number; tag: string }[];
}

/**
 * legacy-socket's on-connect `definitions` (FORMATS §1.2). The plugin ABI gives
 * processors no protocol or application table yet, so both lists are empty.
 */
export function definitionsMessage(): DefinitionsMessage {
  return { type: 'definitions', protocols: [], applications: [] };
}
