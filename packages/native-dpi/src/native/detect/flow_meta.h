// What detection learned about a flow, copied out of nDPI's per-flow state so that state
// can be freed once detection is over. Plain data: no nDPI types here.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace netifyd {

struct TlsMeta {
  uint16_t version = 0;
  uint16_t cipher = 0;
  std::string sni, server_names, issuer_dn, subject_dn, ja3c, ja3s, alpn_server, cert_sha1;
  std::vector<std::string> alpn_client;
};

struct HttpMeta {
  std::string url, host, user_agent;
  uint16_t response_code = 0;
};

struct DnsMeta {
  std::string query;
  uint16_t qtype = 0;
  uint8_t rcode = 0;
  std::vector<std::string> answers;
};

struct DhcpMeta {
  std::string fingerprint, class_ident;
};

struct SshMeta {
  std::string client, server;
};

struct KerberosMeta {
  std::string domain, hostname, username;
};

// Protocol-specific sections; each present only when it applies.
struct FlowMeta {
  std::unique_ptr<TlsMeta> tls;
  std::unique_ptr<HttpMeta> http;
  std::unique_ptr<DnsMeta> dns;
  std::unique_ptr<DhcpMeta> dhcp;
  std::unique_ptr<SshMeta> ssh;
  std::unique_ptr<KerberosMeta> kerberos;
  std::string bt_info_hash, mdns_answer, ssdp_user_agent, netbios_name;
};

struct Detection {
  uint32_t version = 0;  // bumped by every extraction
  uint16_t master = 0;
  uint16_t app = 0;
  uint16_t category = 0;
  uint8_t confidence = 0;  // ndpi_confidence_t
  const char* confidence_name = "Unknown";  // static string owned by nDPI
  bool guessed = false;
  uint64_t risk = 0;  // ndpi_risk bitmask
  uint16_t risk_score = 0, risk_score_client = 0, risk_score_server = 0;
  char protocol_name[64] = "Unknown";
  char host_name[80] = "";
  std::unique_ptr<FlowMeta> meta;
};

}  // namespace netifyd
