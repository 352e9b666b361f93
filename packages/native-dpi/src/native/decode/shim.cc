// Shim layers between the link and IP: 802.1Q/QinQ tags, MPLS label stacks, PPPoE sessions.
#include "decoder.h"

namespace netifyd {

Discard decode_vlan(const Frame& f, DecodeState& st) {
  if (bytes_left(f, st.offset) < 4) return Discard::vlan_truncated;
  const uint8_t* p = f.data + st.offset;
  st.flags |= decode_flag::kVlan;
  st.vlan_id = be16(p) & 0x0fff;  // the innermost tag is the flow's VLAN
  st.offset += 4;
  return dispatch_ethertype(be16(p + 2), st);
}

Discard decode_mpls(const Frame& f, DecodeState& st) {
  st.flags |= decode_flag::kMpls;
  for (;;) {
    if (bytes_left(f, st.offset) < 4) return Discard::mpls_truncated;
    const uint32_t label = be32(f.data + st.offset);
    st.offset += 4;
    if (label & 0x100) break;  // bottom of stack
  }
  // No payload type in MPLS: the IP version nibble decides.
  st.next = Layer::ip;
  return Discard::none;
}

Discard decode_pppoe(const Frame& f, DecodeState& st) {
  if (bytes_left(f, st.offset) < 8) return Discard::pppoe_truncated;
  const uint8_t* p = f.data + st.offset;
  st.flags |= decode_flag::kPppoe;
  st.offset += 8;  // PPPoE header (6) + PPP protocol (2)
  switch (be16(p + 6)) {
    case 0x0021:
    case 0x0057:
      st.next = Layer::ip;
      return Discard::none;
    default:
      return Discard::ppp_protocol_unsupported;
  }
}

}  // namespace netifyd
