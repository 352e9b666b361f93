export { Engine } from './engine.js';
export { EngineError } from './errors.js';
export type {
  DnsAnswerAddress,
  DnsAnswerRecord,
  EngineCounters,
  EngineOptions,
  EngineRecord,
  ExpireReason,
  FileSourceOptions,
  FlowRecord,
  FlowRecordKind,
  LiveSourceOptions,
  NdpiProtocol,
  SourceCounters,
  SourceEndRecord,
  TickFlowStats,
  TickRecord,
  TlsInfo,
} from './types.js';
