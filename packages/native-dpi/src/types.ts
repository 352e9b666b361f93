// The engine's public types (the JS API contract of this package).

export interface EngineOptions {
  /** Detection threads; flows are sharded by a symmetric hash of the flow key. Default 2. */
  detectionThreads?: number;
  /** Packets per flow handed to nDPI before giving up. Default 32. */
  maxDetectionPackets?: number;
  /** 0 = unlimited (default); beyond it new flows are refused and counted (flow_dropped). */
  maxFlows?: number;
  /** Idle TTL of TCP flows without FIN+ACK. Default 300_000. */
  tcpIdleTtlMs?: number;
  /** Idle TTL of other flows (and TCP after FIN+ACK). Default 30_000. */
  idleTtlMs?: number;
  /** A 'tick' record per interval of capture time (files) or wall-clock time (live). Default 15_000. */
  updateIntervalMs?: number;
  /** A batch is delivered at this many records... Default 1024. */
  batchMaxRecords?: number;
  /** ...or about this long after its first record (at most twice as long). Default 50. */
  batchMaxMs?: number;
  /**
   * netifyd's DNS flow reuse (FORMATS §6.2; netifyd does it while its DNS hint cache is on):
   * an A/AAAA query on a port-53 flow whose detection is over restarts the flow — counters,
   * flags, risks and detection start again, DPI runs on the query — so each query of a reused
   * 5-tuple gets its own new…dpi_complete sequence under the same flowId. Default false.
   */
  dnsFlowReuse?: boolean;
  /**
   * Mirror ndpiReader 4.2 (for the fidelity tool): its per-flow limits (80 TCP / 24 UDP
   * packets, extra dissection); one detection thread unless detectionThreads is given (one
   * nDPI module sees every flow, as ndpiReader's single thread on a file); every flow kept
   * until its source ends unless tcpIdleTtlMs or idleTtlMs is given; captured (not wire)
   * bytes counted; datagrams cut by the snap length discarded; frames with an unknown
   * EtherType parsed as IP when their version nibble says so. Default false.
   */
  ndpiReaderLimits?: boolean;
}

export interface FileSourceOptions {
  name: string;
  path: string;
  /** A BPF filter (pcap-filter syntax). */
  filter?: string;
  /** Read at the pace of the capture's timestamps instead of as fast as possible. */
  replay?: boolean;
}

export interface LiveSourceOptions {
  name: string;
  iface: string;
  filter?: string;
  /** Default 65535. */
  snaplen?: number;
  /** Default true. */
  promiscuous?: boolean;
}

export interface TlsInfo {
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

export type FlowRecordKind = 'new' | 'dpi_update' | 'dpi_complete' | 'expire';
export type ExpireReason = 'closed' | 'expired' | 'terminated';

export interface FlowRecord {
  kind: FlowRecordKind;
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
  /** Shared by the records of one flow while its detection is unchanged: frozen. */
  risks: readonly number[];
  riskScore: number;
  riskScoreClient: number;
  riskScoreServer: number;
  hostName: string;
  tls?: TlsInfo;
  http?: { url: string; host: string; userAgent: string; responseCode: number };
  dns?: { query: string; qtype: number; rcode: number; answers: string[] };
  dhcp?: { fingerprint: string; classIdent: string };
  ssh?: { client: string; server: string };
  bt?: { infoHash: string };
  mdns?: { answer: string };
  ssdp?: { userAgent: string };
  netbios?: { name: string };
  kerberos?: { domain: string; hostname: string; username: string };
  reason?: ExpireReason;
  tcpFinAck?: boolean;
  tcpRst?: boolean;
}

export interface TickFlowStats {
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
  flows: TickFlowStats[];
  sources: Array<{ source: number; counters: Record<string, number> }>;
}

export interface SourceEndRecord {
  kind: 'source_end';
  source: number;
  error?: string;
}

/** One A/AAAA address of a DNS response. */
export interface DnsAnswerAddress {
  /** Text form (dotted quad, or IPv6 as inet_ntop writes it). */
  ip: string;
  /** The raw 4 or 16 address bytes, network order (a copy the record owns). */
  bytes: Uint8Array;
  /** The record's TTL in seconds, as the server sent it. */
  ttl: number;
}

/**
 * A DNS response on port 53 (UDP, or TCP with the whole message in one segment): QR=1,
 * RCODE 0, not truncated, an A/AAAA question of class IN, and the A/AAAA answers reached
 * from that question directly or through the response's CNAME chain (at most 8 links,
 * loop-safe; at most 32 addresses, no duplicates). One per such packet, after that packet's
 * flow records, for every packet of the flow (also after `dpi_complete`).
 */
export interface DnsAnswerRecord {
  kind: 'dns_answer';
  flowId: number;
  source: number;
  /** Capture time of the packet. */
  timeMs: number;
  /** The first A/AAAA question's name: lowercased, dotted, no trailing dot. */
  name: string;
  qtype: number;
  addresses: DnsAnswerAddress[];
}

export type EngineRecord = FlowRecord | TickRecord | SourceEndRecord | DnsAnswerRecord;

export interface SourceCounters {
  source: number;
  name: string;
  /** File path or interface name. */
  target: string;
  live: boolean;
  linkType: string;
  packetsRead: number;
  /** Bytes of the capture file read so far (0 for live sources). */
  filePosition: number;
  ended: boolean;
  error: string;
  /** Why packets were discarded, by named reason (cumulative). */
  discards: Record<string, number>;
  /** The 22 interface_stats counters, cumulative up to the last tick. */
  totals: Record<string, number>;
}

export interface EngineCounters {
  sources: SourceCounters[];
  activeFlows: number;
  flowsCreated: number;
  flowsExpired: number;
  ticks: number;
  batchesDelivered: number;
  recordsDelivered: number;
  /** Live mode only: batches the JS side could not take in time. */
  batchesDropped: number;
  recordsDropped: number;
}

export interface NdpiProtocol {
  id: number;
  name: string;
  category: number;
  categoryName: string;
}
