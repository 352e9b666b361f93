// Transport headers: TCP, UDP (and the UDP tunnels GTP-U / TZSP), SCTP ports; any other
// IP protocol (ICMP, ICMPv6, IGMP, ...) is a flow without ports. GRE goes to its decoder.
#include "decoder.h"

namespace netifyd {
namespace {

constexpr uint8_t kTcp = 6;
constexpr uint8_t kUdp = 17;
constexpr uint8_t kGre = 47;
constexpr uint8_t kSctp = 132;
constexpr uint16_t kGtpUserPort = 2152;
constexpr uint16_t kTzspPort = 37008;

// A TCP or UDP header cut short still makes a flow, without ports (as ndpiReader does).
Discard decode_tcp(const Frame& f, DecodeState& st) {
  st.next = Layer::done;
  if (st.l4_len < 20) return Discard::none;
  const uint8_t* p = f.data + st.l4_offset;
  st.src_port = be16(p);
  st.dst_port = be16(p + 2);
  st.tcp_seq = be32(p + 4);
  st.tcp_flags = p[13];
  const uint32_t header = (p[12] >> 4) * 4u;
  st.payload_len = header < st.l4_len ? st.l4_len - header : 0;
  return Discard::none;
}

Discard decode_udp(const Frame& f, DecodeState& st) {
  st.next = Layer::done;
  if (st.l4_len < 8) return Discard::none;
  const uint8_t* p = f.data + st.l4_offset;
  st.src_port = be16(p);
  st.dst_port = be16(p + 2);
  st.payload_len = st.l4_len - 8;
  if (st.src_port == kGtpUserPort || st.dst_port == kGtpUserPort) {
    st.offset = st.l4_offset + 8;
    st.next = Layer::gtp;
  } else if (st.src_port == kTzspPort || st.dst_port == kTzspPort) {
    st.offset = st.l4_offset + 8;
    st.next = Layer::tzsp;
  }
  return Discard::none;
}

}  // namespace

Discard decode_transport(const Frame& f, DecodeState& st) {
  st.src_port = st.dst_port = 0;
  st.tcp_flags = 0;
  st.payload_len = 0;
  switch (st.protocol) {
    case kTcp:
      return decode_tcp(f, st);
    case kUdp:
      return decode_udp(f, st);
    case kSctp:
      if (st.l4_len >= 12) {
        const uint8_t* p = f.data + st.l4_offset;
        st.src_port = be16(p);
        st.dst_port = be16(p + 2);
        st.payload_len = st.l4_len - 12;
      }
      st.next = Layer::done;
      return Discard::none;
    case kGre:
      st.offset = st.l4_offset;
      st.next = Layer::gre;
      return Discard::none;
    default:
      st.payload_len = st.l4_len;
      st.next = Layer::done;
      return Discard::none;
  }
}

}  // namespace netifyd
