// The one place that defines how records cross to JS. A batch is a little-endian byte
// buffer decoded by src/record-decoder.ts; keep both in step (kRecordFormat here and
// RECORD_FORMAT there guard it: change both with the layout).
//
// batch   := u32 kRecordFormat, u32 record_count, record*
// str     := u16 byte_length, bytes (UTF-8 as nDPI gave them)
// addr    := IPv4: 4 bytes (network order; JS formats the text and caches it)
//            IPv6: str (inet_ntop's text form, formatted once here)
// record  := u8 RecordKind, body
//
// flow body (new, dpi_update, dpi_complete, expire):
//   f64 flow_id, u16 source, u8 ip_version, u8 ip_protocol, u16 vlan_id, u8 ip_dscp,
//   u8 FlowFlag bits, addr lower_ip, addr upper_ip, u16 lower_port, u16 upper_port,
//   6 bytes lower_mac, 6 bytes upper_mac, f64 first_seen_ms, f64 last_seen_ms,
//   f64 lower_bytes, f64 lower_packets, f64 upper_bytes, f64 upper_packets,
//   u32 detection_packets, u8 ExpireReason, u8 detection_follows; when 1 (the detection
//   changed since this flow's previous record, always in its first), the detection part:
//   u16 ndpi_master, u16 ndpi_app, u16 ndpi_category, u8 confidence_id, str confidence,
//   str protocol_name, u8 risk_count, u16 risk_id*, u16 risk_score, u16 risk_score_client,
//   u16 risk_score_server, str host_name, u16 Section bits, then each present section in
//   bit order:
//     tls      u16 version, u16 cipher, str sni, str server_names, str issuer_dn,
//              str subject_dn, str ja3c, str ja3s, u8 n, str alpn_client*n,
//              str alpn_server, str cert_sha1
//     http     str url, str host, str user_agent, u16 response_code
//     dns      str query, u16 qtype, u8 rcode, u8 n, str answer*n
//     dhcp     str fingerprint, str class_ident
//     ssh      str client, str server
//     bt       str info_hash
//     mdns     str answer
//     ssdp     str user_agent
//     netbios  str name
//     kerberos str domain, str hostname, str username
//
// tick body:
//   f64 time_ms, u8 final, u32 flow_count, flow_count x (
//     f64 flow_id, u16 source, f64 last_seen_ms, f64 lower_bytes, f64 lower_packets,
//     f64 upper_bytes, f64 upper_packets, u32 lower_active_seconds,
//     u32 upper_active_seconds, f64 total_bytes, f64 total_packets, u32 detection_packets,
//     u32 tcp_resets, u32 tcp_retrans, u32 tcp_seq_errors),
//   u16 source_count, source_count x (u16 source, f64 counter * kSourceCounterCount)
//
// source_end body: u16 source, str error ('' when the source simply ended)
//
// dns_answer body (a DNS response on port 53, UDP or TCP, with QR=1, RCODE 0, TC=0, an
// A/AAAA question of class IN and at least one A/AAAA answer whose owner is the question
// name or a name its CNAME answers lead to; one per such packet, after that packet's flow
// records, from every packet of the flow, also after dpi_complete):
//   f64 flow_id, u16 source, f64 time_ms (capture time of the packet), str name (the first
//   A/AAAA question: lowercased, dotted, no trailing dot, printable ASCII), u16 qtype,
//   u8 n (1..32), n x (u8 ip_version (4|6), 4|16 bytes address (network order), u32 ttl,
//   for IPv6 only: str address (text form))
#pragma once
#include <cstdint>

namespace netifyd {

constexpr uint32_t kRecordFormat = 0x4e445234;  // "NDR4"

enum class RecordKind : uint8_t {
  flow_new = 1,
  dpi_update = 2,
  dpi_complete = 3,
  expire = 4,
  tick = 5,
  source_end = 6,
  dns_answer = 7,
};

namespace flow_flag {
constexpr uint8_t kOriginLower = 1;
constexpr uint8_t kGuessed = 2;
constexpr uint8_t kTcpFinAck = 4;
constexpr uint8_t kTcpRst = 8;
}  // namespace flow_flag

enum class ExpireReason : uint8_t { none = 0, closed = 1, expired = 2, terminated = 3 };

namespace section {
constexpr uint16_t kTls = 1 << 0;
constexpr uint16_t kHttp = 1 << 1;
constexpr uint16_t kDns = 1 << 2;
constexpr uint16_t kDhcp = 1 << 3;
constexpr uint16_t kSsh = 1 << 4;
constexpr uint16_t kBt = 1 << 5;
constexpr uint16_t kMdns = 1 << 6;
constexpr uint16_t kSsdp = 1 << 7;
constexpr uint16_t kNetbios = 1 << 8;
constexpr uint16_t kKerberos = 1 << 9;
}  // namespace section

}  // namespace netifyd
