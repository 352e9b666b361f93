import { PAYLOAD_TYPES } from '@netifyd/plugin-sdk';
import type { MessageType, PayloadType } from '@netifyd/plugin-sdk';

/**
 * What proc-core sends, each with the payload types that carry it (FORMATS §1.3).
 * `legacy_flow` is the `flow` message legacy-socket gets at DPI completion;
 * `legacy_http` is the per-tick legacy-http document (§7.7).
 */
export type RoutedMessage =
  | 'agent_hello'
  | 'agent_status'
  | 'interfaces'
  | 'interface_stats'
  | 'global_stats'
  | 'endpoints'
  | 'flow'
  | 'flow_dpi_update'
  | 'flow_dpi_complete'
  | 'legacy_flow'
  | 'flow_stats'
  | 'flow_purge'
  | 'legacy_http';

export const ROUTED_MESSAGES: readonly RoutedMessage[] = [
  'agent_hello',
  'agent_status',
  'interfaces',
  'interface_stats',
  'global_stats',
  'endpoints',
  'flow',
  'flow_dpi_update',
  'flow_dpi_complete',
  'legacy_flow',
  'flow_stats',
  'flow_purge',
  'legacy_http',
];

export const MESSAGE_PAYLOAD_TYPES: Readonly<Record<RoutedMessage, readonly PayloadType[]>> = {
  agent_hello: PAYLOAD_TYPES,
  agent_status: ['stream-stats', 'legacy-socket'],
  interfaces: ['stream-endpoints'],
  interface_stats: ['stream-stats'],
  global_stats: ['stream-stats'],
  endpoints: ['stream-endpoints'],
  flow: ['stream-flows'],
  flow_dpi_update: ['stream-flows'],
  flow_dpi_complete: ['stream-flows'],
  legacy_flow: ['legacy-socket'],
  flow_stats: ['stream-stats', 'legacy-socket'],
  flow_purge: ['stream-flows', 'legacy-socket'],
  legacy_http: ['legacy-http'],
};

/**
 * The wire type named in each payload. The legacy-http document has no `type` of its
 * own and plugin-sdk's MessageType has no name for it; it is the tick's status
 * document with the interval's data added, so it travels as `agent_status`.
 */
export const WIRE_TYPE: Readonly<Record<RoutedMessage, MessageType>> = {
  agent_hello: 'agent_hello',
  agent_status: 'agent_status',
  interfaces: 'interfaces',
  interface_stats: 'interface_stats',
  global_stats: 'global_stats',
  endpoints: 'endpoints',
  flow: 'flow',
  flow_dpi_update: 'flow_dpi_update',
  flow_dpi_complete: 'flow_dpi_complete',
  legacy_flow: 'flow',
  flow_stats: 'flow_stats',
  flow_purge: 'flow_purge',
  legacy_http: 'agent_status',
};

/** Payload types that carry flow messages: the ones an established-flow dump makes sense for. */
export const FLOW_PAYLOAD_TYPES: readonly PayloadType[] = ['stream-flows', 'legacy-socket'];
