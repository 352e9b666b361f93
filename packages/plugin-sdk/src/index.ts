export { PLUGIN_ABI, parseAbi, isAbiCompatible } from './abi.js';
export type { AbiVersion } from './abi.js';
export { NetifydError, PluginConfigError, isNetifydError } from './errors.js';
export { createConfigValidator } from './config-schema.js';
export type { ConfigValidator, ConfigValidatorOptions, JsonSchema } from './config-schema.js';
export { ANY_CHANNEL, definePlugin } from './plugin.js';
export type {
  AgentIdentity,
  Logger,
  PluginContext,
  PluginFactory,
  PluginInstanceByKind,
  PluginKind,
  PluginLifecycle,
  Processor,
  Sink,
  SinkDirectory,
  SinkHandle,
  SinkStats,
  StatePaths,
} from './plugin.js';
export { PAYLOAD_TYPES, payloadContentType, payloadExtension } from './payload.js';
export type { Payload, PayloadCompressor, PayloadFormat, PayloadType } from './payload.js';
export type {
  AgentEvent,
  AgentEventType,
  AgentStartEvent,
  AgentStopEvent,
  DetectionUpdatedEvent,
  FlowDpiCompleteEvent,
  FlowExpireEvent,
  FlowNewEvent,
  FlowPurgeEntry,
  FlowSource,
  FlowStatsEntry,
  TickEvent,
} from './events.js';
export type {
  Flow,
  FlowCategory,
  FlowDhcp,
  FlowHttp,
  FlowMetadata,
  FlowRisks,
  FlowSsh,
  FlowStats,
  FlowTcpCounters,
  FlowTls,
  IpVersion,
  OtherType,
  PurgeReason,
} from './flow.js';
export type {
  AgentHelloMessage,
  AgentStatusMessage,
  EndpointsMessage,
  FlowEnvelope,
  FlowMessage,
  FlowPurgeMessage,
  FlowStatsMessage,
  GlobalStatsMessage,
  InterfaceInfo,
  InterfaceStatsMessage,
  InterfacesMessage,
  MessageType,
  PacketCounters,
  PluginStatus,
} from './messages.js';
export { expandTemplate } from './template.js';
export type { TemplateVariables } from './template.js';
