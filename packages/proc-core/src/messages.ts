import type { AgentHelloMessage, AgentIdentity, FlowMessage } from '@netifyd/plugin-sdk';
import type { TrackedFlow } from './flow-registry.js';

// Envelope keys are in byte order: the JSON encoder writes an object already in order natively.

/** Envelope + full flow (FORMATS §1.1). `established` is true only in a new client's dump. */
export function flowMessage(type: FlowMessage['type'], source: TrackedFlow, established = false): FlowMessage {
  return { established, flow: source.flow, interface: source.interface, internal: source.internal, type };
}

/** FORMATS §7.5; `json_version` is netifyd's deprecated constant. */
export function helloMessage(agent: AgentIdentity): AgentHelloMessage {
  return { agent_version: agent.version, build_version: agent.buildVersion, json_version: 1.9, type: 'agent_hello' };
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
