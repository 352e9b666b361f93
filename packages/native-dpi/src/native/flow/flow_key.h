// The bidirectional flow key: both directions of a conversation map to the same key
// because endpoints are stored as lower/upper (address bytes, then port).
#pragma once
#include <cstddef>
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
static_assert(offsetof(FlowKey, lower_port) == 32 && offsetof(FlowKey, ip_version) == 40,
              "FlowKeyWords packs the fields after the addresses into words 4 and 5");
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "FlowKeyWords packs fields little-endian");

inline bool operator==(const FlowKey& a, const FlowKey& b) {
  return std::memcmp(&a, &b, sizeof(FlowKey)) == 0;
}

// A FlowKey as the six 64-bit words it is hashed as (the last one padded with zeros).
// The capture thread builds keys in this form: a key written field by field and then read
// back as whole words stalls the CPU on every packet (store-to-load forwarding fails).
struct FlowKeyWords {
  uint64_t w[6];

  void store(FlowKey& key) const { std::memcpy(&key, w, sizeof(FlowKey)); }
  // Symmetric by construction (the key is already ordered); mixes the words.
  uint64_t hash() const { return mix(w[4], w[5]); }
  // Both addresses only (not ports or protocol), so every flow between two hosts meets the
  // same nDPI module and its per-host caches (as in ndpiReader's one thread).
  uint64_t hosts_hash() const { return mix(w[4] & ~0xffffffffull, w[5] & 0xffull); }

 private:
  uint64_t mix(uint64_t w4, uint64_t w5) const {
    const uint64_t words[6] = {w[0], w[1], w[2], w[3], w4, w5};
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (uint64_t word : words) {
      h ^= word;
      h *= 0xff51afd7ed558ccdull;
      h ^= h >> 32;
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return h;
  }
};

// The key of one packet's flow (addresses and ports ordered lower/upper); returns true
// when the packet's source is the lower endpoint.
inline bool make_flow_key(FlowKeyWords& key, uint16_t source, uint16_t vlan_id, uint8_t ip_version,
                          uint8_t protocol, const uint8_t* src_ip, const uint8_t* dst_ip,
                          uint16_t src_port, uint16_t dst_port) {
  const size_t alen = ip_version == 4 ? 4 : 16;
  const int cmp = std::memcmp(src_ip, dst_ip, alen);
  const bool src_lower = cmp < 0 || (cmp == 0 && src_port <= dst_port);
  const uint8_t* lower = src_lower ? src_ip : dst_ip;
  const uint8_t* upper = src_lower ? dst_ip : src_ip;
  if (alen == 4) {
    uint32_t l, u;
    std::memcpy(&l, lower, 4);
    std::memcpy(&u, upper, 4);
    key.w[0] = l;
    key.w[2] = u;
    key.w[1] = key.w[3] = 0;
  } else {
    std::memcpy(&key.w[0], lower, 16);
    std::memcpy(&key.w[2], upper, 16);
  }
  const uint64_t lower_port = src_lower ? src_port : dst_port;
  const uint64_t upper_port = src_lower ? dst_port : src_port;
  key.w[4] = lower_port | upper_port << 16 | uint64_t{vlan_id} << 32 | uint64_t{source} << 48;
  key.w[5] = uint64_t{ip_version} | uint64_t{protocol} << 8;
  return src_lower;
}

}  // namespace netifyd
