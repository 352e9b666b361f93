/**
 * Agent events built the way agent-core hands them to processors, with values taken
 * from netifyd 5.0.7's output for public captures (443-git, http_ipv6, 1kxun, ssh) and
 * completed with the keys Netify's v5 telemetry schemas require.
 */
import type {
  AgentStatusMessage,
  DetectionUpdatedEvent,
  EndpointsMessage,
  Flow,
  FlowDpiCompleteEvent,
  FlowExpireEvent,
  FlowNewEvent,
  FlowPurgeEntry,
  FlowStats,
  FlowStatsEntry,
  GlobalStatsMessage,
  InterfaceStatsMessage,
  InterfacesMessage,
  PacketCounters,
  PurgeReason,
  TickEvent,
} from '@netifyd/plugin-sdk';

const LAN = { interface: 'offline0', internal: true } as const;

/** 443-git: a TLS session to github.com, IPv4, classified HTTP/S + netify.github. */
export function githubTlsFlow(): Flow {
  return {
    app_ip_override: false,
    app_proto_twins: false,
    category: { application: 27, domain: 0, overlay: 0, protocol: 22 },
    detected_application: 10002,
    detected_application_name: 'netify.github',
    detected_protocol: 196,
    detected_protocol_name: 'HTTP/S',
    detection_guessed: false,
    detection_packets: 7,
    detection_updated: true,
    dhc_hit: false,
    digest: 'e96bfc47e64858cb580e996a4e69b259af3b27e9',
    digest_prev: [],
    dns_host_name: '',
    fhc_hit: false,
    first_seen_at: 1795524165000,
    host_server_name: 'github.com',
    ip_dscp: 0,
    ip_nat: false,
    ip_protocol: 6,
    ip_version: 4,
    last_seen_at: 1795524165823,
    local_bytes: 3167,
    local_ip: '192.168.1.13',
    local_mac: '28:37:37:00:6d:c8',
    local_origin: true,
    local_packets: 35,
    local_port: 55744,
    local_rate: 3167,
    other_bytes: 34022,
    other_ip: '140.82.114.4',
    other_mac: '10:13:31:f1:39:76',
    other_packets: 35,
    other_port: 443,
    other_rate: 34022,
    other_type: 'remote',
    risks: { ndpi_risk_score: 100, ndpi_risk_score_client: 10, ndpi_risk_score_server: 90, risks: [30] },
    soft_dissector: false,
    ssl: {
      alpn: ['http/1.1'],
      alpn_server: ['http/1.1'],
      cipher_suite: '0xc02f',
      client_sni: 'github.com',
      fingerprint: 'ca06f56b258b7a0d4f2b05470939478651151984',
      issuer_dn: 'C=US, O=DigiCert Inc, OU=www.digicert.com, CN=DigiCert SHA2 Extended Validation Server CA',
      server_cn: 'github.com',
      server_ja3: 'ed61bbffb349efa73172fbf5e23db6d0',
      subject_dn: 'C=US, ST=California, L=San Francisco, O=GitHub, Inc., CN=github.com',
      version: '0x0303',
    },
    tcp: { resets: 3, retrans: 0, seq_errors: 0 },
    total_bytes: 37189,
    total_packets: 70,
    vlan_id: 0,
  };
}

/** http_ipv6: TLS to www.ntop.org over IPv6, the capture host being the server side. */
export function ntopIpv6Flow(): Flow {
  return {
    app_ip_override: false,
    app_proto_twins: false,
    category: { application: 0, domain: 0, overlay: 0, protocol: 22 },
    detected_application: 0,
    detected_application_name: 'Unknown',
    detected_protocol: 196,
    detected_protocol_name: 'HTTP/S',
    detection_guessed: false,
    detection_packets: 9,
    detection_updated: true,
    dhc_hit: false,
    digest: '2e82e49f13b38c0e84d8bdcc25521cf0ae59556e',
    digest_prev: ['7d0a4f1f35e1c4b1a8b0d2b54f8e3c1a9e6b2d40'],
    dns_host_name: '',
    fhc_hit: false,
    first_seen_at: 1795524194621,
    host_server_name: 'www.ntop.org',
    ip_dscp: 0,
    ip_nat: false,
    ip_protocol: 6,
    ip_version: 6,
    last_seen_at: 1795524194792,
    local_bytes: 5432,
    local_ip: '2a03:b0c0:3:d0::70:1001',
    local_mac: '50:c5:8d:ac:41:01',
    local_origin: false,
    local_packets: 6,
    local_port: 443,
    local_rate: 5432,
    other_bytes: 1191,
    other_ip: '2a00:d40:1:3:7aac:c0ff:fea7:d4c',
    other_mac: '78:ac:c0:a7:0d:4c',
    other_packets: 7,
    other_port: 37486,
    other_rate: 1191,
    other_type: 'remote',
    risks: { ndpi_risk_score: 200, ndpi_risk_score_client: 60, ndpi_risk_score_server: 140, risks: [30, 31] },
    soft_dissector: false,
    ssl: {
      alpn: ['http/1.1', 'spdy/3.1', 'h2-14', 'h2'],
      cipher_suite: '0xc02f',
      client_sni: 'www.ntop.org',
      fingerprint: 'fba6ffa758f39d542445e5a0c40418d55891e034',
      issuer_dn:
        'C=GB, ST=Greater Manchester, L=Salford, O=COMODO CA Limited, CN=COMODO RSA Domain Validation Secure Server CA',
      server_cn: 'shop.ntop.org',
      server_ja3: 'ec9884a3b8a3b8ea1cc49cbf9642cab4',
      subject_dn: 'OU=Domain Control Validated, OU=PositiveSSL, CN=shop.ntop.org',
      version: '0x0303',
    },
    tcp: { resets: 0, retrans: 0, seq_errors: 0 },
    total_bytes: 6623,
    total_packets: 13,
    vlan_id: 0,
  };
}

/** 1kxun: plain HTTP whose host name came from the DNS hint cache. */
export function kankanHttpFlow(): Flow {
  return {
    app_ip_override: false,
    app_proto_twins: false,
    category: { application: 0, domain: 0, overlay: 0, protocol: 22 },
    detected_application: 0,
    detected_application_name: 'Unknown',
    detected_protocol: 7,
    detected_protocol_name: 'HTTP',
    detection_guessed: false,
    detection_packets: 4,
    detection_updated: false,
    dhc_hit: true,
    digest: 'a97f940c452b143d71a20141cee51a37a1fb7b28',
    digest_prev: [],
    dns_host_name: 'jp.kankan.1kxun.mobi',
    fhc_hit: false,
    first_seen_at: 1795524199729,
    host_server_name: 'jp.kankan.1kxun.mobi',
    http: {
      url: 'jp.kankan.1kxun.mobi/api/videos/10410.json?callback=jQuery18306855657112319022_1470103242123&_=1470104377698',
      user_agent:
        'Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.22 (KHTML, like Gecko) Chrome/25.0.1364.152 Safari/537.22',
    },
    ip_dscp: 0,
    ip_nat: false,
    ip_protocol: 6,
    ip_version: 4,
    last_seen_at: 1795524200043,
    local_bytes: 571,
    local_ip: '192.168.115.8',
    local_mac: '00:1c:42:8e:70:31',
    local_origin: true,
    local_packets: 3,
    local_port: 49597,
    local_rate: 571,
    other_bytes: 1680,
    other_ip: '106.185.35.110',
    other_mac: '4c:5e:0c:ea:03:65',
    other_packets: 3,
    other_port: 80,
    other_rate: 1680,
    other_type: 'remote',
    risks: { ndpi_risk_score: 0, ndpi_risk_score_client: 0, ndpi_risk_score_server: 0, risks: [] },
    soft_dissector: false,
    tcp: { resets: 0, retrans: 0, seq_errors: 0 },
    total_bytes: 2251,
    total_packets: 6,
    vlan_id: 0,
  };
}

/** ssh: an SSH session between two LAN hosts on a WAN-role capture interface. */
export function sshFlow(): Flow {
  return {
    app_ip_override: false,
    app_proto_twins: false,
    category: { application: 0, domain: 0, overlay: 0, protocol: 9 },
    detected_application: 0,
    detected_application_name: 'Unknown',
    detected_protocol: 92,
    detected_protocol_name: 'SSH',
    detection_guessed: false,
    detection_packets: 6,
    detection_updated: false,
    dhc_hit: false,
    digest: 'b237e7b840304e663c39c47b72aeefb24bde8a24',
    digest_prev: [],
    dns_host_name: '',
    fhc_hit: false,
    first_seen_at: 1795524185000,
    host_server_name: '',
    ip_dscp: 16,
    ip_nat: false,
    ip_protocol: 6,
    ip_version: 4,
    last_seen_at: 1795524433477,
    local_bytes: 2832,
    local_ip: '172.16.238.1',
    local_mac: '00:50:56:c0:00:08',
    local_origin: true,
    local_packets: 14,
    local_port: 58395,
    local_rate: 2832,
    other_bytes: 3316,
    other_ip: '172.16.238.168',
    other_mac: '00:0c:29:a5:45:e0',
    other_packets: 12,
    other_port: 22,
    other_rate: 3316,
    other_type: 'local',
    risks: { ndpi_risk_score: 150, ndpi_risk_score_client: 95, ndpi_risk_score_server: 55, risks: [25, 26] },
    soft_dissector: false,
    ssh: { client: 'SSH-2.0-OpenSSH_5.3', server: 'SSH-2.0-OpenSSH_5.6' },
    tcp: { resets: 0, retrans: 0, seq_errors: 0 },
    total_bytes: 6148,
    total_packets: 26,
    vlan_id: 0,
  };
}

export function flowNew(flow: Flow, source: { interface: string; internal: boolean } = LAN): FlowNewEvent {
  return { type: 'flow_new', ...source, flow };
}

export function detectionUpdated(flow: Flow, source: { interface: string; internal: boolean } = LAN): DetectionUpdatedEvent {
  return { type: 'detection_updated', ...source, flow };
}

export function dpiComplete(flow: Flow, source: { interface: string; internal: boolean } = LAN): FlowDpiCompleteEvent {
  return { type: 'flow_dpi_complete', ...source, flow };
}

export function flowExpire(flow: Flow, reason: PurgeReason = 'expired'): FlowExpireEvent {
  return { type: 'flow_expire', ...LAN, reason, flow };
}

/** The counter keys of a flow (encoding S), as flow_stats and flow_purge carry them. */
export function statsOf(flow: Flow, interval?: Partial<FlowStats>): FlowStats {
  const stats: FlowStats = {
    detection_packets: flow.detection_packets,
    digest: flow.digest,
    digest_prev: flow.digest_prev,
    last_seen_at: flow.last_seen_at,
    local_bytes: flow.local_bytes,
    local_packets: flow.local_packets,
    local_rate: flow.local_rate,
    other_bytes: flow.other_bytes,
    other_packets: flow.other_packets,
    other_rate: flow.other_rate,
    total_bytes: flow.total_bytes,
    total_packets: flow.total_packets,
  };
  if (flow.tcp) stats.tcp = { ...flow.tcp };
  return { ...stats, ...interval };
}

export function statsEntry(flow: Flow, interval?: Partial<FlowStats>): FlowStatsEntry {
  return { ...LAN, flow: statsOf(flow, interval) };
}

export function purgeEntry(flow: Flow, reason: PurgeReason, interval?: Partial<FlowStats>): FlowPurgeEntry {
  return { ...LAN, reason, flow: statsOf(flow, interval) };
}

/** 443-git after its one update interval: the interval's packet counters. */
export function offlineCounters(): PacketCounters {
  return {
    capture_dropped: 0,
    capture_filtered: 0,
    discarded: 0,
    discarded_bytes: 0,
    ethernet: 70,
    flow_dropped: 0,
    fragmented: 0,
    icmp: 0,
    igmp: 0,
    ip: 70,
    ip_bytes: 37189,
    largest_bytes: 1514,
    mpls: 0,
    pppoe: 0,
    queue_dropped: 0,
    raw: 70,
    tcp: 70,
    tcp_resets: 3,
    tcp_seq_errors: 0,
    udp: 0,
    vlan: 0,
    wire_bytes: 38869,
  };
}

export function agentStatus(): AgentStatusMessage {
  return {
    type: 'agent_status',
    agent_version: '0.1.0',
    build_version: 'netifyd-ts/0.1.0 (Linux; x64)',
    cpu_cores: 2,
    cpu_system: 0.019477,
    cpu_system_prev: 0.019477,
    cpu_user: 0.007115,
    cpu_user_prev: 0.006315,
    dhc_size: 0,
    dhc_status: true,
    fhc_status: false,
    flow_count: 0,
    flow_count_prev: 1,
    flows_active: 0,
    flows_expired: 1,
    flows_expiring: 0,
    flows_in_use: 0,
    flows_purged: 1,
    maxrss_kb: 25020,
    maxrss_kb_prev: 25020,
    memrss_kb: 24800,
    memrss_kb_prev: 24612,
    signatures: { apps: 199, domains: 3374, networks: 783, soft_dissectors: 26, transforms: 0 },
    tcm_kb: 4090,
    tcm_kb_prev: 4120,
    timestamp: 1795524167,
    update_imf: 1,
    update_interval: 1,
    uptime: 2,
    plugins: { 'proc-core': { type: 'processor' }, 'sink-log': { type: 'sink', queued: 0, sent: 4, dropped: 0, errors: 0 } },
  };
}

export function interfaces(): InterfacesMessage {
  return {
    type: 'interfaces',
    offline0: { role: 'lan', capture_type: 'pcap', capture_file: '443-git.pcap', mac: '00:00:00:00:00:00' },
  };
}

export function interfaceStats(): InterfaceStatsMessage {
  return { type: 'interface_stats', offline0: offlineCounters() };
}

export function globalStats(): GlobalStatsMessage {
  return { type: 'global_stats', ...offlineCounters() };
}

export function endpoints(): EndpointsMessage {
  return { type: 'endpoints', '28:37:37:00:6d:c8': ['192.168.1.13'] };
}

export function tick(parts: { flowStats?: FlowStatsEntry[]; purged?: FlowPurgeEntry[]; final?: boolean } = {}): TickEvent {
  return {
    type: 'tick',
    status: agentStatus(),
    interfaces: interfaces(),
    interfaceStats: interfaceStats(),
    globalStats: globalStats(),
    endpoints: endpoints(),
    flowStats: parts.flowStats ?? [],
    purged: parts.purged ?? [],
    final: parts.final ?? false,
  };
}
