// The records the flow model reads are native-dpi's own record types.
export type {
  DnsAnswerRecord,
  EngineRecord,
  FlowRecord,
  SourceEndRecord,
  TickFlowStats as TickFlowRecord,
  TickRecord,
  TlsInfo as TlsRecord,
} from '@netifyd/native-dpi';
