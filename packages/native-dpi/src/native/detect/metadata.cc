#include "metadata.h"

#include <arpa/inet.h>

#include <cstring>

namespace netifyd {
namespace {

bool is_proto(const ndpi_protocol& p, uint16_t id) {
  return p.master_protocol == id || p.app_protocol == id;
}

// Protocols whose state lives in nDPI's tls_quic union member.
bool is_tls_group(const ndpi_protocol& p) {
  return is_proto(p, NDPI_PROTOCOL_TLS) || is_proto(p, NDPI_PROTOCOL_QUIC) ||
         is_proto(p, NDPI_PROTOCOL_DTLS) || is_proto(p, NDPI_PROTOCOL_MAIL_SMTPS) ||
         is_proto(p, NDPI_PROTOCOL_MAIL_IMAPS) || is_proto(p, NDPI_PROTOCOL_MAIL_POPS);
}

template <size_t N>
std::string bounded(const char (&field)[N]) {
  return std::string(field, strnlen(field, N));
}
std::string maybe(const char* s) { return s ? std::string(s) : std::string(); }

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

std::string hex(const uint8_t* bytes, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

std::vector<std::string> split_commas(const char* s) {
  std::vector<std::string> out;
  if (!s) return out;
  const char* start = s;
  for (const char* p = s;; ++p) {
    if (*p == ',' || *p == '\0') {
      if (p > start) out.emplace_back(start, p - start);
      if (*p == '\0') break;
      start = p + 1;
    }
  }
  return out;
}

void extract_tls(const ndpi_flow_struct* f, FlowMeta& meta) {
  auto tls = std::make_unique<TlsMeta>();
  const auto& t = f->protos.tls_quic;
  tls->version = t.ssl_version;
  tls->cipher = t.server_cipher;
  tls->sni = bounded(f->host_server_name);
  if (t.server_names && t.server_names_len > 0) tls->server_names = t.server_names;
  tls->issuer_dn = maybe(t.issuerDN);
  tls->subject_dn = maybe(t.subjectDN);
  tls->ja3c = bounded(t.ja3_client);
  tls->ja3s = bounded(t.ja3_server);
  tls->alpn_client = split_commas(t.alpn);
  if (f->l4_proto == IPPROTO_TCP && f->l4.tcp.tls.fingerprint_set)
    tls->cert_sha1 = hex(t.sha1_certificate_fingerprint, sizeof(t.sha1_certificate_fingerprint));
  meta.tls = std::move(tls);
}

void extract_dns(const ndpi_flow_struct* f, FlowMeta& meta) {
  auto dns = std::make_unique<DnsMeta>();
  const auto& d = f->protos.dns;
  dns->query = bounded(f->host_server_name);
  dns->qtype = d.query_type;
  dns->rcode = d.reply_code;
  if (d.num_answers > 0 && (d.rsp_type == 1 || d.rsp_type == 28)) {
    char buf[INET6_ADDRSTRLEN] = "";
    if (d.rsp_type == 1)
      inet_ntop(AF_INET, &d.rsp_addr.ipv4, buf, sizeof(buf));
    else
      inet_ntop(AF_INET6, &d.rsp_addr.ipv6, buf, sizeof(buf));
    if (buf[0]) dns->answers.emplace_back(buf);
  }
  meta.dns = std::move(dns);
}

void extract_sections(const ndpi_flow_struct* f, const ndpi_protocol& p, FlowMeta& meta) {
  if (is_proto(p, NDPI_PROTOCOL_DHCP)) {
    meta.dhcp = std::make_unique<DhcpMeta>(
        DhcpMeta{bounded(f->protos.dhcp.fingerprint), bounded(f->protos.dhcp.class_ident)});
  } else if (is_proto(p, NDPI_PROTOCOL_BITTORRENT) && !is_proto(p, NDPI_PROTOCOL_TLS)) {
    const u_char* h = f->protos.bittorrent.hash;
    bool any = false;
    for (size_t i = 0; i < sizeof(f->protos.bittorrent.hash); ++i) any = any || h[i] != 0;
    if (any) meta.bt_info_hash = hex(h, sizeof(f->protos.bittorrent.hash));
  } else if (is_proto(p, NDPI_PROTOCOL_DNS)) {
    extract_dns(f, meta);
  } else if (is_proto(p, NDPI_PROTOCOL_MDNS)) {
    meta.mdns_answer = bounded(f->host_server_name);
  } else if (is_proto(p, NDPI_PROTOCOL_KERBEROS)) {
    const auto& k = f->protos.kerberos;
    meta.kerberos = std::make_unique<KerberosMeta>(
        KerberosMeta{bounded(k.domain), bounded(k.hostname), bounded(k.username)});
  } else if (is_proto(p, NDPI_PROTOCOL_SSH)) {
    meta.ssh = std::make_unique<SshMeta>(SshMeta{bounded(f->protos.ssh.client_signature),
                                                 bounded(f->protos.ssh.server_signature)});
  } else if (is_tls_group(p)) {
    extract_tls(f, meta);
  } else if (is_proto(p, NDPI_PROTOCOL_NETBIOS)) {
    meta.netbios_name = bounded(f->host_server_name);
  }
  // The http block sits outside nDPI's union: safe to read for any protocol.
  if (is_proto(p, NDPI_PROTOCOL_HTTP) || f->http.url) {
    meta.http = std::make_unique<HttpMeta>(HttpMeta{maybe(f->http.url), bounded(f->host_server_name),
                                                    maybe(f->http.user_agent),
                                                    f->http.response_status_code});
  }
  if (is_proto(p, NDPI_PROTOCOL_SSDP)) meta.ssdp_user_agent = maybe(f->http.user_agent);
}

}  // namespace

uint64_t metadata_signature(const ndpi_flow_struct* f, const ndpi_protocol& p) {
  uint64_t h = mix(p.master_protocol, p.app_protocol);
  h = mix(h, p.category);
  h = mix(h, strnlen(f->host_server_name, sizeof(f->host_server_name)));
  h = mix(h, f->risk);
  h = mix(h, f->http.url != nullptr);
  h = mix(h, f->http.user_agent != nullptr);
  h = mix(h, f->http.response_status_code);
  if (is_tls_group(p)) {
    const auto& t = f->protos.tls_quic;
    h = mix(h, t.ssl_version);
    h = mix(h, t.server_cipher);
    h = mix(h, static_cast<uint64_t>(t.ja3_client[0]) << 8 | static_cast<uint8_t>(t.ja3_server[0]));
    h = mix(h, t.server_names_len);
    h = mix(h, (t.issuerDN != nullptr) | (t.subjectDN != nullptr) << 1 | (t.alpn != nullptr) << 2);
    if (f->l4_proto == IPPROTO_TCP) h = mix(h, f->l4.tcp.tls.fingerprint_set);
  } else if (is_proto(p, NDPI_PROTOCOL_DNS)) {
    h = mix(h, f->protos.dns.num_answers);
    h = mix(h, f->protos.dns.reply_code);
  }
  return h;
}

void extract_detection(ndpi_detection_module_struct* mod, ndpi_flow_struct* f,
                       const ndpi_protocol& p, Detection& out) {
  ++out.version;
  out.master = p.master_protocol;
  out.app = p.app_protocol;
  out.category = static_cast<uint16_t>(p.category);
  out.confidence = static_cast<uint8_t>(f->confidence);
  const char* confidence = ndpi_confidence_get_name(f->confidence);
  out.confidence_name = confidence ? confidence : "Unknown";
  out.risk = f->risk;
  u_int16_t client = 0, server = 0;
  out.risk_score = f->risk ? ndpi_risk2score(f->risk, &client, &server) : 0;
  out.risk_score_client = client;
  out.risk_score_server = server;
  ndpi_protocol2name(mod, p, out.protocol_name, sizeof(out.protocol_name));
  const size_t host_len = strnlen(f->host_server_name, sizeof(out.host_name) - 1);
  std::memcpy(out.host_name, f->host_server_name, host_len);
  out.host_name[host_len] = '\0';
  auto meta = std::make_unique<FlowMeta>();
  extract_sections(f, p, *meta);
  out.meta = std::move(meta);
}

}  // namespace netifyd
