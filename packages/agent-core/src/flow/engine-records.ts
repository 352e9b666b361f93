/**
 * The records native-dpi's Engine hands to `onBatch` (its JS API contract), as the flow
 * model reads them. Declared here so agent-core does not need the addon to type-check;
 * native-dpi's own types are structurally the same.
 */

export interface TlsRecord {
  version: number;
  cipher: number;
  sni: string;
  serverNames: string;
  issuerDn: string;
  subjectDn: string;
  ja3c: string;
  ja3s: string;
  alpnClient: string[];
  alpnServer: string;
  certSha1: string;
}

export interface FlowRecord {
  kind: 'new' | 'dpi_update' | 'dpi_complete' | 'expire';
  flowId: number;
  source: number;
  ipVersion: 4 | 6;
  ipProtocol: number;
  vlanId: number;
  ipDscp: number;
  lowerIp: string;
  upperIp: string;
  lowerPort: number;
  upperPort: number;
  lowerMac: string;
  upperMac: string;
  originLower: boolean;
  firstSeenMs: number;
  lastSeenMs: number;
  lowerBytes: number;
  lowerPackets: number;
  upperBytes: number;
  upperPackets: number;
  detectionPackets: number;
  ndpiMaster: number;
  ndpiApp: number;
  protocolName: string;
  ndpiCategory: number;
  confidence: string;
  guessed: boolean;
  risks: number[];
  riskScore: number;
  riskScoreClient: number;
  riskScoreServer: number;
  hostName: string;
  tls?: TlsRecord;
  http?: { url: string; host: string; userAgent: string; responseCode: number };
  dns?: { query: string; qtype: number; rcode: number; answers: string[] };
  dhcp?: { fingerprint: string; classIdent: string };
  ssh?: { client: string; server: string };
  bt?: { infoHash: string };
  mdns?: { answer: string };
  ssdp?: { userAgent: string };
  netbios?: { name: string };
  kerberos?: { domain: string; hostname: string; username: string };
  reason?: 'closed' | 'expired' | 'terminated';
  tcpFinAck?: boolean;
  tcpRst?: boolean;
}

export interface TickFlowRecord {
  flowId: number;
  source: number;
  lastSeenMs: number;
  lowerBytes: number;
  lowerPackets: number;
  upperBytes: number;
  upperPackets: number;
  lowerActiveSeconds: number;
  upperActiveSeconds: number;
  totalBytes: number;
  totalPackets: number;
  detectionPackets: number;
  tcpResets: number;
  tcpRetrans: number;
  tcpSeqErrors: number;
}

export interface TickRecord {
  kind: 'tick';
  timeMs: number;
  final: boolean;
  flows: TickFlowRecord[];
  sources: Array<{ source: number; counters: Record<string, number> }>;
}

export interface SourceEndRecord {
  kind: 'source_end';
  source: number;
  error?: string;
}

export type EngineRecord = FlowRecord | TickRecord | SourceEndRecord;
