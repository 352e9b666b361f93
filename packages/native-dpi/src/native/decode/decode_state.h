// The common shape of every decoder: bytes in (the captured frame and the offset of its
// layer), fields and the next layer out, ok (Discard::none) or a named anomaly.
#pragma once
#include <cstdint>

#include "discard_reason.h"

namespace netifyd {

// Layers the dispatcher knows. Link layers come first; `ip` sniffs the version nibble.
enum class Layer : uint8_t {
  ethernet,
  linux_sll,
  linux_sll2,
  null_loop,
  ppp_hdlc,
  ip,
  vlan,
  mpls,
  pppoe,
  transport,
  gtp,
  tzsp,
  gre,
  done,
};

enum class Tunnel : uint8_t { none = 0, ip_in_ip, gtp, tzsp, gre };

struct Frame {
  const uint8_t* data;
  uint32_t caplen;   // bytes captured
  uint32_t wirelen;  // bytes on the wire
};

namespace decode_flag {
constexpr uint8_t kEthernet = 1;
constexpr uint8_t kVlan = 2;
constexpr uint8_t kMpls = 4;
constexpr uint8_t kPppoe = 8;
constexpr uint8_t kFragment = 16;
}  // namespace decode_flag

struct DecodeState {
  uint32_t offset = 0;  // where the layer in `next` starts
  Layer next = Layer::done;
  uint8_t flags = 0;
  Tunnel tunnel = Tunnel::none;
  uint8_t layers = 0;  // decoders run so far (bounds nesting)
  // ndpiReader 4.2 compatibility (mostly matters for fuzzed captures): a frame with an
  // unknown EtherType is IP when its version nibble says so, and an IP datagram longer
  // than what was captured is discarded even when the snap length cut it.
  bool ndpi_reader_compat = false;

  // L2 (outermost Ethernet header wins the MACs)
  uint32_t mac_offset = UINT32_MAX;  // destination MAC; source MAC at +6
  uint16_t vlan_id = 0;              // innermost 802.1Q tag

  // L3 (innermost IP header after decapsulation)
  uint32_t l3_offset = 0;
  uint32_t ip_end = 0;  // end of the datagram within the captured bytes
  uint8_t ip_version = 0;
  uint8_t protocol = 0;
  uint8_t dscp = 0;

  // L4
  uint32_t l4_offset = 0;
  uint32_t l4_len = 0;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint8_t tcp_flags = 0;
  uint32_t tcp_seq = 0;
  uint32_t payload_len = 0;
};

using Decoder = Discard (*)(const Frame& frame, DecodeState& st);

// Big-endian reads; callers check bounds first.
inline uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t be32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}
inline uint32_t bytes_left(const Frame& f, uint32_t offset) {
  return offset < f.caplen ? f.caplen - offset : 0;
}

// Sets `next` from an EtherType (shared by Ethernet, SLL, VLAN, C-HDLC, GRE).
Discard dispatch_ethertype(uint16_t ethertype, DecodeState& st);

}  // namespace netifyd
