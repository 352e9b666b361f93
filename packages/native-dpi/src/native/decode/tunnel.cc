// Tunnels decapsulated to the inner flow, as ndpiReader -t does: GTP-U (T-PDU) and TZSP
// (encapsulated Ethernet) over UDP, and GRE (IPv4/IPv6/Ethernet payloads). A packet that
// only looks like a tunnel stays the outer UDP/GRE flow.
#include "decoder.h"

namespace netifyd {

Discard decode_gtp(const Frame& f, DecodeState& st) {
  st.next = Layer::done;  // not GTP-U: keep the outer UDP flow
  uint32_t o = st.offset;
  if (bytes_left(f, o) <= 8) return Discard::none;
  const uint8_t flags = f.data[o];
  const uint8_t message_type = f.data[o + 1];
  if ((flags >> 5) != 1 || message_type != 0xff) return Discard::none;
  o += 8;
  if (flags & 0x07) o += 4;  // sequence number, N-PDU number, next extension type
  if (flags & 0x04) {
    // Extension headers: length in 4-byte units, last byte is the next type (0 = end).
    for (int guard = 0; guard < 16; ++guard) {
      if (o >= f.caplen) return Discard::gtp_malformed;
      const uint32_t len = static_cast<uint32_t>(f.data[o]) * 4;
      if (len == 0 || o + len > f.caplen) return Discard::gtp_malformed;
      o += len;
      if (f.data[o - 1] == 0) break;
    }
  }
  if (o >= f.caplen) return Discard::gtp_malformed;
  st.tunnel = Tunnel::gtp;
  st.offset = o;
  st.next = Layer::ip;
  return Discard::none;
}

Discard decode_tzsp(const Frame& f, DecodeState& st) {
  st.next = Layer::done;
  uint32_t o = st.offset;
  if (bytes_left(f, o) < 4) return Discard::tzsp_malformed;
  const uint8_t version = f.data[o], type = f.data[o + 1];
  const uint16_t encapsulates = be16(f.data + o + 2);
  if (version != 1 || type != 0 || encapsulates != 1) return Discard::none;
  o += 4;
  for (;;) {  // tagged fields up to the END tag; each iteration advances o
    if (o >= f.caplen) return Discard::tzsp_malformed;
    const uint8_t tag = f.data[o];
    if (tag == 1) {
      ++o;
      break;
    }
    if (tag == 0) {
      ++o;
      continue;
    }
    if (o + 1 >= f.caplen) return Discard::tzsp_malformed;
    o += 2u + f.data[o + 1];
  }
  if (bytes_left(f, o) < 28) return Discard::tzsp_malformed;
  st.tunnel = Tunnel::tzsp;
  st.offset = o;
  st.next = Layer::ethernet;
  return Discard::none;
}

Discard decode_gre(const Frame& f, DecodeState& st) {
  st.next = Layer::done;
  const uint32_t o = st.offset;
  if (bytes_left(f, o) < 4) return Discard::gre_truncated;
  const uint8_t* p = f.data + o;
  const uint8_t version = p[1] & 0x07;
  if (version != 0) return Discard::none;  // e.g. PPTP's enhanced GRE: stays a GRE flow
  uint32_t header = 4;
  if (p[0] & 0x80) header += 4;  // checksum + reserved
  if (p[0] & 0x20) header += 4;  // key
  if (p[0] & 0x10) header += 4;  // sequence number
  if (bytes_left(f, o) < header) return Discard::gre_truncated;
  const uint16_t type = be16(p + 2);
  Layer inner;
  switch (type) {
    case 0x0800:
    case 0x86dd:
      inner = Layer::ip;
      break;
    case 0x6558:
      inner = Layer::ethernet;
      break;
    default:
      return Discard::none;
  }
  st.tunnel = Tunnel::gre;
  st.offset = o + header;
  st.next = inner;
  return Discard::none;
}

}  // namespace netifyd
