// The bidirectional flow key: both directions of a conversation map to the same key
// because endpoints are stored as lower/upper (address bytes, then port).
#pragma once
#include <cstdint>
#include <cstring>

namespace netifyd {

struct FlowKey {
  uint8_t lower_ip[16];
  uint8_t upper_ip[16];
  uint16_t lower_port;
  uint16_t upper_port;
  uint16_t vlan_id;
  uint16_t source;
  uint8_t ip_version;
  uint8_t protocol;
  uint8_t pad[2];
};
static_assert(sizeof(FlowKey) == 44, "FlowKey is compared and hashed as raw bytes");

inline bool operator==(const FlowKey& a, const FlowKey& b) {
  return std::memcmp(&a, &b, sizeof(FlowKey)) == 0;
}

// Symmetric by construction (the key is already ordered); mixes 64-bit words.
inline uint64_t flow_key_hash(const FlowKey& k) {
  uint64_t words[6] = {0, 0, 0, 0, 0, 0};
  std::memcpy(words, &k, sizeof(FlowKey));
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (uint64_t w : words) {
    h ^= w;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 29;
  return h;
}

// A shard key from both addresses only (not ports), so every flow between two hosts meets
// the same nDPI module and its per-host caches (as in ndpiReader's one thread).
inline uint64_t flow_shard_hash(const FlowKey& k) {
  FlowKey hosts = k;
  hosts.lower_port = hosts.upper_port = 0;
  hosts.protocol = 0;
  return flow_key_hash(hosts);
}

// Fills `key` from one packet's addresses and ports; returns true when the packet's
// source is the lower endpoint.
inline bool make_flow_key(FlowKey& key, uint16_t source, uint16_t vlan_id, uint8_t ip_version,
                          uint8_t protocol, const uint8_t* src_ip, const uint8_t* dst_ip,
                          uint16_t src_port, uint16_t dst_port) {
  std::memset(&key, 0, sizeof(key));
  const size_t alen = ip_version == 4 ? 4 : 16;
  int cmp = std::memcmp(src_ip, dst_ip, alen);
  const bool src_lower = cmp < 0 || (cmp == 0 && src_port <= dst_port);
  std::memcpy(key.lower_ip, src_lower ? src_ip : dst_ip, alen);
  std::memcpy(key.upper_ip, src_lower ? dst_ip : src_ip, alen);
  key.lower_port = src_lower ? src_port : dst_port;
  key.upper_port = src_lower ? dst_port : src_port;
  key.vlan_id = vlan_id;
  key.source = source;
  key.ip_version = ip_version;
  key.protocol = protocol;
  return src_lower;
}

}  // namespace netifyd
