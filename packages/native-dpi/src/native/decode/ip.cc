// IPv4 and IPv6 (with extension headers). IP-in-IP (4in4, 6in4, 4in6, 6in6) is
// decapsulated: the innermost datagram defines the flow. First fragments are kept,
// later fragments are discarded (and counted).
#include "decoder.h"

namespace netifyd {
namespace {

constexpr uint8_t kProtoIpIp = 4;
constexpr uint8_t kProtoIpv6 = 41;

// A datagram longer than what was captured is fine when the capture was cut by snaplen;
// otherwise the packet itself is truncated.
bool clip_to_capture(const Frame& f, const DecodeState& st, uint32_t start, uint32_t length, uint32_t& end) {
  const uint32_t avail = bytes_left(f, start);
  if (length <= avail) {
    end = start + length;
    return true;
  }
  if (f.caplen < f.wirelen && !st.ndpi_reader_compat) {
    end = f.caplen;
    return true;
  }
  return false;
}

Discard enter_inner_ip(DecodeState& st, uint32_t inner_offset) {
  st.offset = inner_offset;
  st.tunnel = Tunnel::ip_in_ip;
  st.next = Layer::ip;
  return Discard::none;
}

Discard decode_ipv4(const Frame& f, DecodeState& st) {
  const uint32_t o = st.offset;
  if (bytes_left(f, o) < 20) return Discard::ipv4_truncated;
  const uint8_t* p = f.data + o;
  const uint32_t ihl = (p[0] & 0x0fu) * 4;
  if (ihl < 20) return Discard::ipv4_bad_header;
  if (ihl > bytes_left(f, o)) return Discard::ipv4_truncated;
  const uint32_t total = be16(p + 2);
  if (total < ihl) return Discard::ipv4_bad_header;
  uint32_t end = 0;
  if (!clip_to_capture(f, st, o, total, end)) return Discard::ipv4_truncated;

  const uint8_t proto = p[9];
  const uint16_t frag = be16(p + 6);
  const bool later_fragment = (frag & 0x1fff) != 0;
  if ((proto == kProtoIpIp || proto == kProtoIpv6) && !later_fragment)
    return enter_inner_ip(st, o + ihl);

  st.ip_version = 4;
  st.protocol = proto;
  st.dscp = p[1] >> 2;
  st.l3_offset = o;
  st.ip_end = end;
  if (later_fragment || (frag & 0x2000)) st.flags |= decode_flag::kFragment;
  if (later_fragment) return Discard::ipv4_fragment;
  st.l4_offset = o + ihl;
  st.l4_len = end - st.l4_offset;
  st.next = Layer::transport;
  return Discard::none;
}

// Extension headers nDPI 4.2 also walks (hop-by-hop, routing, fragment, destination
// options, mobility); anything else is the upper-layer protocol.
bool is_extension_header(uint8_t nh) {
  return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 135 || nh == 59;
}

Discard decode_ipv6(const Frame& f, DecodeState& st) {
  const uint32_t o = st.offset;
  if (bytes_left(f, o) < 40) return Discard::ipv6_truncated;
  const uint8_t* p = f.data + o;
  uint32_t end = 0;
  if (!clip_to_capture(f, st, o, 40u + be16(p + 4), end)) return Discard::ipv6_truncated;

  uint8_t nh = p[6];
  uint32_t cur = o + 40;
  bool fragment = false;
  while (is_extension_header(nh)) {
    if (nh == 59) return Discard::ipv6_no_next_header;
    if (cur + 8 > end) return Discard::ipv6_bad_extension;
    const uint8_t* e = f.data + cur;
    if (nh == 44) {
      fragment = true;
      st.flags |= decode_flag::kFragment;
      if ((be16(e + 2) >> 3) != 0) {
        st.protocol = e[0];
        return Discard::ipv6_fragment;
      }
      nh = e[0];
      cur += 8;
      continue;
    }
    const uint32_t len = (static_cast<uint32_t>(e[1]) + 1) * 8;
    if (cur + len > end) return Discard::ipv6_bad_extension;
    nh = e[0];
    cur += len;
  }
  if ((nh == kProtoIpIp || nh == kProtoIpv6) && !fragment) return enter_inner_ip(st, cur);

  st.ip_version = 6;
  st.protocol = nh;
  st.dscp = static_cast<uint8_t>(((p[0] & 0x0f) << 4 | p[1] >> 4) >> 2);
  st.l3_offset = o;
  st.ip_end = end;
  st.l4_offset = cur;
  st.l4_len = end - cur;
  st.next = Layer::transport;
  return Discard::none;
}

}  // namespace

Discard decode_ip(const Frame& f, DecodeState& st) {
  if (bytes_left(f, st.offset) < 1) return Discard::ip_version_unsupported;
  switch (f.data[st.offset] >> 4) {
    case 4:
      return decode_ipv4(f, st);
    case 6:
      return decode_ipv6(f, st);
    default:
      return Discard::ip_version_unsupported;
  }
}

}  // namespace netifyd
