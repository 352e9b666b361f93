import type { Flow, FlowCategory } from '@netifyd/plugin-sdk';
import type { FlowRecord } from './engine-records.js';
import type { FlowState } from './flow-state.js';
import { sanitizeHostName } from './flow-text.js';
import { addProtocolObjects } from './protocol-objects.js';
import { buildSslObject, hasSslObject } from './ssl-object.js';

/** nDPI category of an nDPI protocol id, when the model was given nDPI's protocol table. */
export type NdpiCategoryLookup = (ndpiId: number) => number | undefined;

/** bytes per second over `seconds`, as an integer; 0 when there were no seconds. */
export function byteRate(bytes: number, seconds: number): number {
  return seconds > 0 ? Math.round(bytes / seconds) : 0;
}

/** Fields netifyd reports as a DPI update when they appear after first classification. */
export function metadataCount(record: FlowRecord): number {
  const tls = record.tls;
  let count = 0;
  if (tls) {
    if (tls.cipher !== 0) count++;
    if (tls.subjectDn !== '') count++;
    if (tls.issuerDn !== '') count++;
    if (tls.ja3s !== '') count++;
    if (tls.certSha1 !== '') count++;
  }
  if (record.mdns && record.mdns.answer !== '') count++;
  if (record.ssh && record.ssh.server !== '') count++;
  return count;
}

function hostServerName(record: FlowRecord): string {
  const raw = record.hostName || record.tls?.sni || record.http?.host || '';
  return raw === '' ? '' : sanitizeHostName(raw);
}

function category(record: FlowRecord, state: FlowState, ndpiCategory: NdpiCategoryLookup | undefined): FlowCategory {
  let protocol = 0;
  if (state.protocol !== 0) {
    const ndpiId = record.ndpiMaster !== 0 ? record.ndpiMaster : record.ndpiApp;
    protocol = ndpiCategory?.(ndpiId) ?? record.ndpiCategory;
  }
  return { application: state.application ? record.ndpiCategory : 0, domain: 0, overlay: 0, protocol };
}

/**
 * The whole flow object (encoding A, every key the v5 flow schema requires) for an engine
 * flow record. Counters are the flow's cumulative ones at the record; rates are bytes over
 * the flow's lifetime in whole seconds (at least one).
 */
export function buildFlow(record: FlowRecord, state: FlowState, ndpiCategory?: NdpiCategoryLookup): Flow {
  const lowerIsLocal = state.lowerIsLocal;
  const localBytes = lowerIsLocal ? record.lowerBytes : record.upperBytes;
  const otherBytes = lowerIsLocal ? record.upperBytes : record.lowerBytes;
  const seconds = Math.max(1, Math.ceil((record.lastSeenMs - record.firstSeenMs) / 1000));
  const host = hostServerName(record);
  const flow: Flow = {
    digest: state.digest,
    digest_prev: [],
    first_seen_at: record.firstSeenMs,
    last_seen_at: record.lastSeenMs,
    ip_version: record.ipVersion,
    ip_protocol: record.ipProtocol,
    ip_dscp: record.ipDscp,
    vlan_id: record.vlanId,
    ip_nat: false,
    other_type: state.otherType,
    local_origin: state.localOrigin,
    local_mac: lowerIsLocal ? record.lowerMac : record.upperMac,
    local_ip: lowerIsLocal ? record.lowerIp : record.upperIp,
    local_port: lowerIsLocal ? record.lowerPort : record.upperPort,
    other_mac: lowerIsLocal ? record.upperMac : record.lowerMac,
    other_ip: lowerIsLocal ? record.upperIp : record.lowerIp,
    other_port: lowerIsLocal ? record.upperPort : record.lowerPort,
    detected_protocol: state.protocol,
    detected_protocol_name: state.protocolName ?? 'Unknown',
    detected_application: state.application?.id ?? 0,
    detected_application_name: state.application?.tag ?? 'Unknown',
    detection_guessed: state.guessed,
    detection_updated: state.detectionUpdated,
    dhc_hit: false,
    fhc_hit: false,
    soft_dissector: false,
    app_ip_override: false,
    app_proto_twins: false,
    host_server_name: host,
    dns_host_name: '',
    category: category(record, state, ndpiCategory),
    risks: {
      risks: state.riskIds.slice(),
      ndpi_risk_score: state.riskScore,
      ndpi_risk_score_client: state.riskScoreClient,
      ndpi_risk_score_server: state.riskScoreServer,
    },
    local_bytes: localBytes,
    local_packets: lowerIsLocal ? record.lowerPackets : record.upperPackets,
    local_rate: byteRate(localBytes, seconds),
    other_bytes: otherBytes,
    other_packets: lowerIsLocal ? record.upperPackets : record.lowerPackets,
    other_rate: byteRate(otherBytes, seconds),
    total_bytes: record.lowerBytes + record.upperBytes,
    total_packets: record.lowerPackets + record.upperPackets,
    detection_packets: record.detectionPackets,
  };
  if (hasSslObject(state.protocol)) flow.ssl = buildSslObject(state.protocol, host, record.tls);
  addProtocolObjects(flow, state.protocol, record);
  return flow;
}
