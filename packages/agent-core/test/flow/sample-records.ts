import type { FlowRecord, TickFlowRecord, TlsRecord } from '../../src/flow/engine-records.js';
import { parseIp } from '../../src/flow/ip-address.js';
import { readDataFile, type NdpiIdsFile, type NdpiToNetifydFile } from '../../src/flow/data-files.js';
import { ndpi } from './records.js';

/** The nDPI master that gives each netifyd protocol seen in the samples. */
const NDPI_FOR_NETIFYD: Record<number, string> = {
  5: 'DNS', 7: 'HTTP', 8: 'MDNS', 9: 'NTP', 10: 'NETBIOS', 12: 'SSDP', 18: 'DHCP', 37: 'BITTORRENT',
  92: 'SSH', 103: 'DHCPV6', 154: 'LLMNR', 188: 'QUIC', 196: 'TLS',
};

const ndpiIds = readDataFile<NdpiIdsFile>('ndpi-ids.json');
const mapping = readDataFile<NdpiToNetifydFile>('ndpi-to-netifyd.json');
/** netifyd risk id → the nDPI 4.2 risk id that maps to it (risks nDPI 4.2 lacks are absent). */
const NDPI_RISK_FOR_NETIFYD = new Map<number, number>();
for (const [symbol, id] of Object.entries(ndpiIds.risks)) {
  const netifyd = mapping.risks[mapping.risk_renames[symbol] ?? symbol];
  if (netifyd !== undefined) NDPI_RISK_FOR_NETIFYD.set(netifyd, id);
}

export interface SampleFlow {
  /** Engine records for the flow, in order (first classification … expire). */
  records: FlowRecord[];
  /** The interval counters of the flow's purge tick. */
  tick: TickFlowRecord;
  /** The sample's `flow` object and `flow_purge` message. */
  flow: Record<string, any>;
  purge: Record<string, any>;
  /** Sample risk ids nDPI 4.2 can report. */
  reproducibleRisks: number[];
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function tlsRecord(ssl: Record<string, any> | undefined, partial: boolean): TlsRecord | undefined {
  if (!ssl) return undefined;
  return {
    version: Number.parseInt(ssl.version ?? '0', 16),
    cipher: partial ? 0 : Number.parseInt(ssl.cipher_suite ?? '0', 16),
    sni: ssl.client_sni ?? '',
    serverNames: '',
    issuerDn: partial ? '' : (ssl.issuer_dn ?? ''),
    subjectDn: partial ? '' : (ssl.subject_dn ?? ''),
    ja3c: '',
    ja3s: partial ? '' : (ssl.server_ja3 ?? ''),
    alpnClient: ssl.alpn ?? [],
    alpnServer: partial ? '' : (ssl.alpn_server?.[0] ?? ''),
    certSha1: partial ? '' : (ssl.fingerprint ?? ''),
  };
}

/**
 * Engine records that reproduce one netifyd 5.0.7 sample flow: the 5-tuple, MACs, origin,
 * times, counters of its purge, the nDPI detection that maps to its protocol (a give-up
 * guess when netifyd guessed), its metadata (arriving in an update when netifyd flagged
 * `detection_updated`), its risks, and the purge reason.
 */
export function sampleFlow(flow: Record<string, any>, purge: Record<string, any>, flowId: number): SampleFlow {
  const f = flow.flow;
  const p = purge.flow;
  const localBytes = parseIp(f.local_ip)!;
  const otherBytes = parseIp(f.other_ip)!;
  const order = compareBytes(localBytes, otherBytes);
  const localIsLower = order < 0 || (order === 0 && f.local_port < f.other_port);
  const side = (local: unknown, other: unknown) => (localIsLower ? [local, other] : [other, local]);
  const [lowerIp, upperIp] = side(f.local_ip, f.other_ip) as [string, string];
  const [lowerPort, upperPort] = side(f.local_port, f.other_port) as [number, number];
  const [lowerMac, upperMac] = side(f.local_mac, f.other_mac) as [string, string];
  const [lowerBytes, upperBytes] = side(p.local_bytes, p.other_bytes) as [number, number];
  const [lowerPackets, upperPackets] = side(p.local_packets, p.other_packets) as [number, number];
  const master = NDPI_FOR_NETIFYD[f.detected_protocol];
  const risks = (f.risks?.risks ?? []) as number[];
  const reproducibleRisks = risks.filter((id) => NDPI_RISK_FOR_NETIFYD.has(id));
  const base: FlowRecord = {
    kind: 'new', flowId, source: 0,
    ipVersion: f.ip_version, ipProtocol: f.ip_protocol, vlanId: f.vlan_id, ipDscp: 0,
    lowerIp, upperIp, lowerPort, upperPort, lowerMac, upperMac,
    originLower: f.local_origin === localIsLower,
    firstSeenMs: f.first_seen_at, lastSeenMs: f.last_seen_at,
    lowerBytes, lowerPackets, upperBytes, upperPackets, detectionPackets: p.detection_packets,
    ndpiMaster: master ? ndpi(master) : 0, ndpiApp: 0, protocolName: '', ndpiCategory: 0, confidence: 'DPI',
    guessed: f.detection_guessed, risks: reproducibleRisks.map((id) => NDPI_RISK_FOR_NETIFYD.get(id)!).sort((a, b) => a - b),
    riskScore: f.risks?.ndpi_risk_score ?? 0, riskScoreClient: f.risks?.ndpi_risk_score_client ?? 0, riskScoreServer: f.risks?.ndpi_risk_score_server ?? 0,
    hostName: f.host_server_name ?? '',
    tls: tlsRecord(f.ssl, false),
  };
  if (f.http) base.http = { url: f.http.url ?? '', host: f.host_server_name ?? '', userAgent: f.http.user_agent ?? '', responseCode: 200 };
  if (f.dhcp) base.dhcp = { fingerprint: f.dhcp.fingerprint ?? '', classIdent: f.dhcp.class_ident ?? '' };
  if (f.ssh) base.ssh = { client: f.ssh.client ?? '', server: f.ssh.server ?? '' };
  if (f.mdns) base.mdns = { answer: f.mdns.answer };
  const complete: FlowRecord = { ...base, kind: 'dpi_complete' };
  const expire: FlowRecord = { ...base, kind: 'expire', reason: purge.reason, lastSeenMs: p.last_seen_at };
  let records: FlowRecord[];
  if (f.detection_guessed) records = [complete, expire];
  else if (f.detection_updated) records = [{ ...base, tls: tlsRecord(f.ssl, true), mdns: undefined, ssh: f.ssh ? { client: f.ssh.client ?? '', server: '' } : undefined }, complete, expire];
  else records = [base, complete, expire];
  const active = (bytes: number) => (bytes > 0 ? 1 : 0);
  const tick: TickFlowRecord = {
    flowId, source: 0, lastSeenMs: p.last_seen_at,
    lowerBytes, lowerPackets, upperBytes, upperPackets,
    lowerActiveSeconds: active(lowerBytes), upperActiveSeconds: active(upperBytes),
    totalBytes: p.total_bytes, totalPackets: p.total_packets, detectionPackets: p.detection_packets,
    tcpResets: p.tcp?.resets ?? 0, tcpRetrans: p.tcp?.retrans ?? 0, tcpSeqErrors: p.tcp?.seq_errors ?? 0,
  };
  return { records, tick, flow: f, purge, reproducibleRisks };
}
