// Link-layer decoders: Ethernet (+ LLC/SNAP), Linux cooked v1/v2, BSD null/loopback,
// PPP and Cisco HDLC. Each finds the EtherType (or IP) that follows.
#include "decoder.h"

namespace netifyd {

Discard decode_ethernet(const Frame& f, DecodeState& st) {
  const uint32_t o = st.offset;
  if (bytes_left(f, o) < 14) return Discard::ethernet_truncated;
  const uint8_t* p = f.data + o;
  st.flags |= decode_flag::kEthernet;
  if (st.mac_offset == UINT32_MAX) st.mac_offset = o;
  uint16_t type = be16(p + 12);
  st.offset = o + 14;
  if (type >= 1536) return dispatch_ethertype(type, st);
  if (type > 1500) return dispatch_ethertype(type, st);
  // 802.3 length field: an LLC header follows.
  if (bytes_left(f, st.offset) < 3) return Discard::ethernet_truncated;
  const uint8_t dsap = p[14], ssap = p[15];
  if (dsap == 0x42 || ssap == 0x42) return Discard::stp_frame;
  if (dsap == 0xaa && ssap == 0xaa) {
    if (bytes_left(f, st.offset) < 8) return Discard::ethernet_truncated;
    st.offset += 8;  // LLC (3) + SNAP OUI (3) + EtherType (2)
    return dispatch_ethertype(be16(p + 20), st);
  }
  if (st.ndpi_reader_compat) return dispatch_ethertype(0, st);
  return Discard::llc_unsupported;
}

Discard decode_linux_sll(const Frame& f, DecodeState& st) {
  if (bytes_left(f, st.offset) < 16) return Discard::sll_truncated;
  const uint8_t* p = f.data + st.offset;
  st.offset += 16;
  return dispatch_ethertype(be16(p + 14), st);
}

Discard decode_linux_sll2(const Frame& f, DecodeState& st) {
  if (bytes_left(f, st.offset) < 20) return Discard::sll_truncated;
  const uint8_t* p = f.data + st.offset;
  st.offset += 20;
  return dispatch_ethertype(be16(p), st);
}

// 4-byte address family in the capturing host's byte order; the IP version nibble
// that follows is what decides (as ndpiReader does).
Discard decode_null_loop(const Frame& f, DecodeState& st) {
  if (bytes_left(f, st.offset) < 4) return Discard::null_truncated;
  st.offset += 4;
  st.next = Layer::ip;
  return Discard::none;
}

// PPP (optionally with FF 03 address/control) or Cisco HDLC (0x0f/0x8f + EtherType).
Discard decode_ppp_hdlc(const Frame& f, DecodeState& st) {
  uint32_t o = st.offset;
  if (bytes_left(f, o) < 4) return Discard::ppp_protocol_unsupported;
  const uint8_t* p = f.data + o;
  if (p[0] == 0x0f || p[0] == 0x8f) {
    st.offset = o + 4;
    return dispatch_ethertype(be16(p + 2), st);
  }
  if (p[0] == 0xff && p[1] == 0x03) {
    o += 2;
    p += 2;
  }
  uint16_t proto = be16(p);
  st.offset = o + 2;
  switch (proto) {
    case 0x0021:
    case 0x0057:
      st.next = Layer::ip;
      return Discard::none;
    case 0x0281:
    case 0x0283:
      st.next = Layer::mpls;
      return Discard::none;
    default:
      return Discard::ppp_protocol_unsupported;
  }
}

}  // namespace netifyd
