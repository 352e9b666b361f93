import type { Flow, FlowCategory } from '@netifyd/plugin-sdk';
import { withHintName } from '../apps/application-detector.js';
import type { FlowRecord } from './engine-records.js';
import type { FlowState } from './flow-state.js';
import { sanitizeHostName } from './flow-text.js';
import { addProtocolObjects, type ProtocolObjects } from './protocol-objects.js';
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
  const apps = state.apps;
  if (apps) return { application: apps.applicationCategory, domain: apps.domainCategory, overlay: 0, protocol: apps.protocolCategory(state.protocol) };
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
 *
 * Keys are added in byte order, optional objects in their place: proc-core writes JSON
 * with sorted keys and an object already in order is written natively, without sorting.
 */
export function buildFlow(record: FlowRecord, state: FlowState, ndpiCategory?: NdpiCategoryLookup): Flow {
  const lowerIsLocal = state.lowerIsLocal;
  const localBytes = lowerIsLocal ? record.lowerBytes : record.upperBytes;
  const otherBytes = lowerIsLocal ? record.upperBytes : record.lowerBytes;
  const seconds = Math.max(1, Math.ceil((record.lastSeenMs - record.firstSeenMs) / 1000));
  const host = withHintName(hostServerName(record), state.apps);
  const objects: ProtocolObjects = {};
  addProtocolObjects(objects, state.protocol, record);
  const flow = { app_ip_override: false, app_proto_twins: false } as Flow;
  if (objects.bt) flow.bt = objects.bt;
  flow.category = category(record, state, ndpiCategory);
  flow.detected_application = state.application?.id ?? 0;
  flow.detected_application_name = state.application?.tag ?? 'Unknown';
  flow.detected_protocol = state.protocol;
  flow.detected_protocol_name = state.protocolName ?? 'Unknown';
  flow.detection_guessed = state.guessed;
  flow.detection_packets = record.detectionPackets;
  flow.detection_updated = state.detectionUpdated;
  flow.dhc_hit = state.apps?.dhcHit ?? false;
  if (objects.dhcp) flow.dhcp = objects.dhcp;
  flow.digest = state.digest;
  flow.digest_prev = [];
  flow.dns_host_name = state.apps?.dnsHostName ?? '';
  flow.fhc_hit = false;
  flow.first_seen_at = record.firstSeenMs;
  flow.host_server_name = host;
  if (objects.http) flow.http = objects.http;
  flow.ip_dscp = record.ipDscp;
  flow.ip_nat = false;
  flow.ip_protocol = record.ipProtocol;
  flow.ip_version = record.ipVersion;
  flow.last_seen_at = record.lastSeenMs;
  flow.local_bytes = localBytes;
  flow.local_ip = lowerIsLocal ? record.lowerIp : record.upperIp;
  flow.local_mac = lowerIsLocal ? record.lowerMac : record.upperMac;
  flow.local_origin = state.localOrigin;
  flow.local_packets = lowerIsLocal ? record.lowerPackets : record.upperPackets;
  flow.local_port = lowerIsLocal ? record.lowerPort : record.upperPort;
  flow.local_rate = byteRate(localBytes, seconds);
  if (objects.mdns) flow.mdns = objects.mdns;
  flow.other_bytes = otherBytes;
  flow.other_ip = lowerIsLocal ? record.upperIp : record.lowerIp;
  flow.other_mac = lowerIsLocal ? record.upperMac : record.lowerMac;
  flow.other_packets = lowerIsLocal ? record.upperPackets : record.lowerPackets;
  flow.other_port = lowerIsLocal ? record.upperPort : record.lowerPort;
  flow.other_rate = byteRate(otherBytes, seconds);
  flow.other_type = state.otherType;
  flow.risks = {
    ndpi_risk_score: state.riskScore,
    ndpi_risk_score_client: state.riskScoreClient,
    ndpi_risk_score_server: state.riskScoreServer,
    risks: state.riskIds.slice(),
  };
  flow.soft_dissector = false;
  if (objects.ssdp) flow.ssdp = objects.ssdp;
  if (objects.ssh) flow.ssh = objects.ssh;
  if (hasSslObject(state.protocol)) flow.ssl = buildSslObject(state.protocol, host, record.tls);
  flow.total_bytes = record.lowerBytes + record.upperBytes;
  flow.total_packets = record.lowerPackets + record.upperPackets;
  flow.vlan_id = record.vlanId;
  return flow;
}
