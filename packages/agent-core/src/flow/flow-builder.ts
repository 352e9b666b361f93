import type { Flow, FlowCategory } from '@netifyd/plugin-sdk';
import { withHintName } from '../apps/application-detector.js';
import type { FlowRecord } from './engine-records.js';
import type { FlowState } from './flow-state.js';
import { sanitizeHostName } from './flow-text.js';
import { flowFromFields, type FlowFields } from './flow-shape.js';
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
 * The values of the flow being built. Reused by every call (buildFlow runs to completion
 * before the next): only the flow object itself is allocated.
 */
const fields = {} as FlowFields;

/**
 * The whole flow object (encoding A, every key the v5 flow schema requires) for an engine
 * flow record. Counters are the flow's cumulative ones at the record; rates are bytes over
 * the flow's lifetime in whole seconds (at least one).
 *
 * Keys come in byte order, optional objects in their place (see flow-shape): proc-core
 * writes JSON with sorted keys and an object already in order is written natively.
 */
export function buildFlow(record: FlowRecord, state: FlowState, ndpiCategory?: NdpiCategoryLookup): Flow {
  const lowerIsLocal = state.lowerIsLocal;
  const localBytes = lowerIsLocal ? record.lowerBytes : record.upperBytes;
  const otherBytes = lowerIsLocal ? record.upperBytes : record.lowerBytes;
  const seconds = Math.max(1, Math.ceil((record.lastSeenMs - record.firstSeenMs) / 1000));
  const host = withHintName(hostServerName(record), state.apps);
  fields.bt = fields.dhcp = fields.http = fields.mdns = fields.ssdp = fields.ssh = undefined;
  addProtocolObjects(fields, state.protocol, record);
  fields.ssl = hasSslObject(state.protocol) ? buildSslObject(state.protocol, host, record.tls) : undefined;
  fields.category = category(record, state, ndpiCategory);
  fields.detected_application = state.application?.id ?? 0;
  fields.detected_application_name = state.application?.tag ?? 'Unknown';
  fields.detected_protocol = state.protocol;
  fields.detected_protocol_name = state.protocolName ?? 'Unknown';
  fields.detection_guessed = state.guessed;
  fields.detection_packets = record.detectionPackets;
  fields.detection_updated = state.detectionUpdated;
  fields.dhc_hit = state.apps?.dhcHit ?? false;
  fields.digest = state.digest;
  fields.dns_host_name = state.apps?.dnsHostName ?? '';
  fields.first_seen_at = record.firstSeenMs;
  fields.host_server_name = host;
  fields.ip_dscp = record.ipDscp;
  fields.ip_protocol = record.ipProtocol;
  fields.ip_version = record.ipVersion;
  fields.last_seen_at = record.lastSeenMs;
  fields.local_bytes = localBytes;
  fields.local_ip = lowerIsLocal ? record.lowerIp : record.upperIp;
  fields.local_mac = lowerIsLocal ? record.lowerMac : record.upperMac;
  fields.local_origin = state.localOrigin;
  fields.local_packets = lowerIsLocal ? record.lowerPackets : record.upperPackets;
  fields.local_port = lowerIsLocal ? record.lowerPort : record.upperPort;
  fields.local_rate = byteRate(localBytes, seconds);
  fields.other_bytes = otherBytes;
  fields.other_ip = lowerIsLocal ? record.upperIp : record.lowerIp;
  fields.other_mac = lowerIsLocal ? record.upperMac : record.lowerMac;
  fields.other_packets = lowerIsLocal ? record.upperPackets : record.lowerPackets;
  fields.other_port = lowerIsLocal ? record.upperPort : record.lowerPort;
  fields.other_rate = byteRate(otherBytes, seconds);
  fields.other_type = state.otherType;
  fields.risks = {
    ndpi_risk_score: state.riskScore,
    ndpi_risk_score_client: state.riskScoreClient,
    ndpi_risk_score_server: state.riskScoreServer,
    risks: state.riskIds.slice(),
  };
  fields.total_bytes = record.lowerBytes + record.upperBytes;
  fields.total_packets = record.lowerPackets + record.upperPackets;
  fields.vlan_id = record.vlanId;
  return flowFromFields(fields);
}
