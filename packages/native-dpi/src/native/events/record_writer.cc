#include "record_writer.h"

#include <arpa/inet.h>

namespace netifyd {
namespace {

void write_ipv6_text(ByteWriter& w, const uint8_t* addr) {
  char buf[INET6_ADDRSTRLEN];
  const char* s = inet_ntop(AF_INET6, addr, buf, sizeof(buf));
  w.str(s ? s : "");
}

// The addr of record.h: IPv4 as its 4 bytes (most flows; JS formats them from a cache, so
// neither side makes text per record), IPv6 as inet_ntop's text.
void write_ip(ByteWriter& w, uint8_t version, const uint8_t* addr) {
  if (version == 4)
    w.bytes(addr, 4);
  else
    write_ipv6_text(w, addr);
}

uint16_t section_bits(const FlowMeta* m) {
  if (!m) return 0;
  uint16_t bits = 0;
  if (m->tls) bits |= section::kTls;
  if (m->http) bits |= section::kHttp;
  if (m->dns) bits |= section::kDns;
  if (m->dhcp) bits |= section::kDhcp;
  if (m->ssh) bits |= section::kSsh;
  if (!m->bt_info_hash.empty()) bits |= section::kBt;
  if (!m->mdns_answer.empty()) bits |= section::kMdns;
  if (!m->ssdp_user_agent.empty()) bits |= section::kSsdp;
  if (!m->netbios_name.empty()) bits |= section::kNetbios;
  if (m->kerberos) bits |= section::kKerberos;
  return bits;
}

void write_sections(ByteWriter& w, const FlowMeta* m) {
  const uint16_t bits = section_bits(m);
  w.u16(bits);
  if (bits & section::kTls) {
    const TlsMeta& t = *m->tls;
    w.u16(t.version);
    w.u16(t.cipher);
    w.str(t.sni);
    w.str(t.server_names);
    w.str(t.issuer_dn);
    w.str(t.subject_dn);
    w.str(t.ja3c);
    w.str(t.ja3s);
    const size_t n = t.alpn_client.size() > 255 ? 255 : t.alpn_client.size();
    w.u8(static_cast<uint8_t>(n));
    for (size_t i = 0; i < n; ++i) w.str(t.alpn_client[i]);
    w.str(t.alpn_server);
    w.str(t.cert_sha1);
  }
  if (bits & section::kHttp) {
    w.str(m->http->url);
    w.str(m->http->host);
    w.str(m->http->user_agent);
    w.u16(m->http->response_code);
  }
  if (bits & section::kDns) {
    const DnsMeta& d = *m->dns;
    w.str(d.query);
    w.u16(d.qtype);
    w.u8(d.rcode);
    const size_t n = d.answers.size() > 255 ? 255 : d.answers.size();
    w.u8(static_cast<uint8_t>(n));
    for (size_t i = 0; i < n; ++i) w.str(d.answers[i]);
  }
  if (bits & section::kDhcp) {
    w.str(m->dhcp->fingerprint);
    w.str(m->dhcp->class_ident);
  }
  if (bits & section::kSsh) {
    w.str(m->ssh->client);
    w.str(m->ssh->server);
  }
  if (bits & section::kBt) w.str(m->bt_info_hash);
  if (bits & section::kMdns) w.str(m->mdns_answer);
  if (bits & section::kSsdp) w.str(m->ssdp_user_agent);
  if (bits & section::kNetbios) w.str(m->netbios_name);
  if (bits & section::kKerberos) {
    w.str(m->kerberos->domain);
    w.str(m->kerberos->hostname);
    w.str(m->kerberos->username);
  }
}

}  // namespace

void write_flow_record(ByteWriter& w, RecordKind kind, Flow& f, ExpireReason reason) {
  const Detection& d = f.detection;
  w.u8(static_cast<uint8_t>(kind));
  w.num(f.id);
  w.u16(f.key.source);
  w.u8(f.key.ip_version);
  w.u8(f.key.protocol);
  w.u16(f.key.vlan_id);
  w.u8(f.dscp);
  uint8_t flags = 0;
  if (f.origin_lower) flags |= flow_flag::kOriginLower;
  if (d.guessed) flags |= flow_flag::kGuessed;
  if (f.has(flow_state::kTcpFinAck)) flags |= flow_flag::kTcpFinAck;
  if (f.has(flow_state::kTcpRst)) flags |= flow_flag::kTcpRst;
  w.u8(flags);
  write_ip(w, f.key.ip_version, f.key.lower_ip);
  write_ip(w, f.key.ip_version, f.key.upper_ip);
  w.u16(f.key.lower_port);
  w.u16(f.key.upper_port);
  w.bytes(f.lower_mac, 6);
  w.bytes(f.upper_mac, 6);
  w.f64(to_ms(f.first_seen_us));
  w.f64(to_ms(f.last_seen_us));
  w.num(f.bytes[0]);
  w.num(f.packets[0]);
  w.num(f.bytes[1]);
  w.num(f.packets[1]);
  w.u32(f.detection_packets);
  w.u8(static_cast<uint8_t>(reason));
  // The detection part only when it changed since this flow's previous record.
  const bool changed = f.detection_sent != d.version;
  w.u8(changed ? 1 : 0);
  if (!changed) return;
  f.detection_sent = d.version;
  w.u16(d.master);
  w.u16(d.app);
  w.u16(d.category);
  w.u8(d.confidence);
  w.str(d.confidence_name);
  w.str(d.protocol_name);
  uint8_t risks = 0;
  for (int i = 0; i < 64; ++i) risks += (d.risk >> i) & 1;
  w.u8(risks);
  for (int i = 0; i < 64; ++i)
    if ((d.risk >> i) & 1) w.u16(static_cast<uint16_t>(i));
  w.u16(d.risk_score);
  w.u16(d.risk_score_client);
  w.u16(d.risk_score_server);
  w.str(d.host_name);
  write_sections(w, d.meta.get());
}

void write_tick_flow(ByteWriter& w, const Flow& f) {
  w.num(f.id);
  w.u16(f.key.source);
  w.f64(to_ms(f.last_seen_us));
  w.num(f.interval_bytes[0]);
  w.num(f.interval_packets[0]);
  w.num(f.interval_bytes[1]);
  w.num(f.interval_packets[1]);
  w.u32(f.interval_active_seconds[0]);
  w.u32(f.interval_active_seconds[1]);
  w.num(f.total_bytes());
  w.num(f.total_packets());
  w.u32(f.detection_packets);
  w.u32(f.interval_tcp_resets);
  w.u32(f.interval_tcp_retrans);
  w.u32(f.interval_tcp_seq_errors);
}

void write_tick_header(ByteWriter& w, uint64_t time_ms, bool final, uint32_t flow_count) {
  w.u8(static_cast<uint8_t>(RecordKind::tick));
  w.num(time_ms);
  w.u8(final ? 1 : 0);
  w.u32(flow_count);
}

void write_tick_source(ByteWriter& w, uint16_t source, const SourceCounters& c) {
  w.u16(source);
  for (int i = 0; i < kSourceCounterCount; ++i) w.num(c.v[i]);
}

void write_source_end(ByteWriter& w, uint16_t source, const std::string& error) {
  w.u8(static_cast<uint8_t>(RecordKind::source_end));
  w.u16(source);
  w.str(error);
}

void write_dns_answer(ByteWriter& w, uint64_t flow_id, uint16_t source, uint64_t time_us,
                      const DnsResponse& r) {
  w.u8(static_cast<uint8_t>(RecordKind::dns_answer));
  w.num(flow_id);
  w.u16(source);
  w.f64(to_ms(time_us));
  w.str(r.name, r.name_length);
  w.u16(r.qtype);
  w.u8(r.count);
  for (size_t i = 0; i < r.count; ++i) {
    const DnsAddress& a = r.addresses[i];
    const uint8_t version = a.length == 4 ? 4 : 6;
    w.u8(version);
    w.bytes(a.bytes, a.length);
    w.u32(a.ttl);
    if (version == 6) write_ipv6_text(w, a.bytes);
  }
}

}  // namespace netifyd
