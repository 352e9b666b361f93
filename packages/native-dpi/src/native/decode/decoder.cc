#include "decoder.h"

#include <cstddef>

namespace netifyd {
namespace {

// Bounds nesting (VLAN stacks, MPLS, tunnels inside tunnels) so no frame loops forever.
constexpr uint8_t kMaxLayers = 24;
// The smallest frame worth decoding: a minimal IPv4 header plus a UDP header.
constexpr uint32_t kMinFrame = 28;

constexpr Decoder kDecoders[] = {
    decode_ethernet,   // ethernet
    decode_linux_sll,  // linux_sll
    decode_linux_sll2, // linux_sll2
    decode_null_loop,  // null_loop
    decode_ppp_hdlc,   // ppp_hdlc
    decode_ip,         // ip
    decode_vlan,       // vlan
    decode_mpls,       // mpls
    decode_pppoe,      // pppoe
    decode_transport,  // transport
    decode_gtp,        // gtp
    decode_tzsp,       // tzsp
    decode_gre,        // gre
};
static_assert(sizeof(kDecoders) / sizeof(kDecoders[0]) == static_cast<size_t>(Layer::done),
              "one decoder per layer");

}  // namespace

Discard dispatch_ethertype(uint16_t ethertype, DecodeState& st) {
  switch (ethertype) {
    case 0x0800:
    case 0x86dd:
      st.next = Layer::ip;
      return Discard::none;
    case 0x8100:
    case 0x88a8:
    case 0x9100:
      st.next = Layer::vlan;
      return Discard::none;
    case 0x8847:
    case 0x8848:
      st.next = Layer::mpls;
      return Discard::none;
    case 0x8864:
      st.next = Layer::pppoe;
      return Discard::none;
    default:
      if (st.ndpi_reader_compat) {
        st.next = Layer::ip;
        return Discard::none;
      }
      return Discard::ethertype_unsupported;
  }
}

Discard decode_frame(const Frame& frame, Layer first, DecodeState& st) {
  if (frame.caplen < kMinFrame) return Discard::frame_too_short;
  st.next = first;
  while (st.next != Layer::done) {
    if (++st.layers > kMaxLayers) return Discard::tunnel_too_deep;
    Discard d = kDecoders[static_cast<size_t>(st.next)](frame, st);
    if (d != Discard::none) return d;
  }
  return Discard::none;
}

}  // namespace netifyd
