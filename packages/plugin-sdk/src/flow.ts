/**
 * The flow object as netifyd consumers know it (Netify v5 telemetry schema
 * `netify-telemetry-flow.json`; meanings in FORMATS.md §2). Keys keep netifyd's names.
 * Required keys of the schema are always present; optional objects only when they apply.
 */

export type IpVersion = 4 | 6;

export type OtherType = 'local' | 'remote' | 'broadcast' | 'multicast' | 'unsupported' | 'error' | 'unknown';

export type PurgeReason = 'closed' | 'expired';

export interface FlowCategory {
  application: number;
  domain: number;
  overlay: number;
  protocol: number;
  local_network?: number;
  other_network?: number;
}

export interface FlowRisks {
  risks: number[];
  ndpi_risk_score: number;
  ndpi_risk_score_client: number;
  ndpi_risk_score_server: number;
}

export interface FlowTls {
  version?: string;
  cipher_suite?: string;
  client_sni?: string;
  server_cn?: string;
  issuer_dn?: string;
  subject_dn?: string;
  /** Extension: emitted when nDPI computes it (FORMATS §00). */
  client_ja3?: string;
  /** Extension: JA3S of the server hello. */
  server_ja3?: string;
  fingerprint?: string;
  alpn?: string[];
  alpn_server?: string[];
  encrypted_ch_version?: string;
}

export interface FlowHttp {
  url: string;
  user_agent: string;
}

export interface FlowDhcp {
  fingerprint: string;
  class_ident: string;
}

export interface FlowSsh {
  client?: string;
  server?: string;
}

export interface FlowTcpCounters {
  resets: number;
  retrans: number;
  seq_errors: number;
}

/** Counter keys (netifyd encoding S): what `flow_stats` and `flow_purge` carry. */
export interface FlowStats {
  digest: string;
  digest_prev: string[];
  last_seen_at: number;
  local_bytes: number;
  local_packets: number;
  local_rate: number;
  other_bytes: number;
  other_packets: number;
  other_rate: number;
  total_bytes: number;
  total_packets: number;
  detection_packets: number;
  tcp?: FlowTcpCounters;
}

/** Metadata keys (netifyd encoding M). */
export interface FlowMetadata {
  digest: string;
  first_seen_at: number;
  last_seen_at: number;
  ip_version: IpVersion;
  ip_protocol: number;
  ip_dscp: number;
  vlan_id: number;
  ip_nat: boolean;
  other_type: OtherType;
  local_origin: boolean;
  local_mac: string;
  local_ip: string;
  local_port: number;
  other_mac: string;
  other_ip: string;
  other_port: number;
  detected_protocol: number;
  detected_protocol_name: string;
  detected_application: number;
  detected_application_name: string;
  detection_guessed: boolean;
  detection_updated: boolean;
  dhc_hit: boolean;
  fhc_hit: boolean;
  soft_dissector: boolean;
  app_ip_override: boolean;
  app_proto_twins: boolean;
  host_server_name: string;
  dns_host_name: string;
  category: FlowCategory;
  risks?: FlowRisks;
  ssl?: FlowTls;
  http?: FlowHttp;
  dhcp?: FlowDhcp;
  ssh?: FlowSsh;
  ssdp?: { user_agent: string };
  mdns?: { answer: string };
  bt?: { info_hash: string };
}

/** The whole flow (encoding A): what `flow`, `flow_dpi_update` and `flow_dpi_complete` carry. */
export type Flow = FlowMetadata & FlowStats;
